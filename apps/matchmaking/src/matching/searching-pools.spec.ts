import { loadConfig } from '@app/config';
import type { WaitingPlayer } from '@app/core';
import type { PairingRepository, PoolChanges, SearchingPool } from './pairing.repository';
import { applyChanges, CHANGES_OVERLAP_MS, SearchingPools } from './searching-pools';
import type { TeamPairingRepository, TeamPool, TeamPoolChanges, WaitingTicket } from './team-pairing.repository';

const player = (id: string, enqueuedAt: number): WaitingPlayer => ({
  id,
  userId: `u${id}`,
  rating: 1500,
  region: null,
  enqueuedAt,
});
const ids = (ps: readonly WaitingPlayer[]) => ps.map((p) => p.id);
const POOL = { tenantId: 't', poolKey: 'standard_5+0_rated' };
const CONSTANTS = { timeControl: '5+0', mode: 'rated', variant: 'standard', category: 'blitz' };

describe('applyChanges', () => {
  const pool = [player('a', 1), player('b', 2), player('c', 2), player('e', 5)];

  it('drops every changed entry and merges the ones still searching back in queue order', () => {
    const out = applyChanges(pool, ['b', 'd', 'f', 'e'], [player('d', 2), player('e', 5), player('f', 9)]);
    expect(ids(out)).toEqual(['a', 'c', 'd', 'e', 'f']);
  });

  it('puts an entry back at its enqueue time (a requeue after a failed game), ties by id', () => {
    expect(ids(applyChanges(pool, ['aa'], [player('aa', 1)]))).toEqual(['a', 'aa', 'b', 'c', 'e']);
    expect(ids(applyChanges(pool, ['0'], [player('0', 2)]))).toEqual(['a', '0', 'b', 'c', 'e']);
  });

  it('leaves the pool as it was when nothing changed', () => {
    expect(applyChanges(pool, [], [])).toBe(pool);
    expect(ids(applyChanges(pool, ['a', 'b', 'c', 'e'], []))).toEqual([]);
  });
});

/** A repository whose pool is `state`, recording which read each tick made. */
function fakeRepository(state: { players: WaitingPlayer[]; nowMs: number; changes: PoolChanges | null }) {
  const calls: string[] = [];
  const repository = {
    searching: async (): Promise<SearchingPool> => {
      calls.push('whole');
      return { nowMs: state.nowMs, players: state.players, constants: CONSTANTS };
    },
    changedSince: async (_pool: unknown, sinceMs: number): Promise<PoolChanges> => {
      calls.push(`since ${sinceMs}`);
      return state.changes ?? { nowMs: state.nowMs, changed: [], searching: [] };
    },
  };
  return { repository: repository as unknown as PairingRepository, calls };
}

const NO_TEAMS = {} as TeamPairingRepository;

describe('SearchingPools', () => {
  const config = (min: number, refreshMs = 30_000) =>
    loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'x'.repeat(32),
      MATCH_POOL_CACHE_MIN: String(min),
      MATCH_POOL_CACHE_REFRESH_MS: String(refreshMs),
    });

  it('reads a big pool whole once, then only what changed since the last read (with the overlap)', async () => {
    const state = { players: [player('a', 1), player('b', 2), player('c', 3)], nowMs: 10_000, changes: null };
    const { repository, calls } = fakeRepository(state);
    const pools = new SearchingPools(repository, NO_TEAMS, config(3));
    expect(ids((await pools.read(POOL)).players)).toEqual(['a', 'b', 'c']);
    state.changes = { nowMs: 11_000, changed: ['b', 'd'], searching: [player('d', 4)] } as never;
    const second = await pools.read(POOL);
    expect(ids(second.players)).toEqual(['a', 'c', 'd']);
    expect(second.nowMs).toBe(11_000);
    expect(second.constants).toEqual(CONSTANTS);
    state.changes = { nowMs: 12_000, changed: [], searching: [] } as never;
    expect(ids((await pools.read(POOL)).players)).toEqual(['a', 'c', 'd']);
    expect(calls).toEqual(['whole', `since ${10_000 - CHANGES_OVERLAP_MS}`, `since ${11_000 - CHANGES_OVERLAP_MS}`]);
  });

  it('reads a pool below MATCH_POOL_CACHE_MIN whole every tick, and one that shrank below it next time', async () => {
    const state = { players: [player('a', 1), player('b', 2)], nowMs: 10_000, changes: null };
    const { repository, calls } = fakeRepository(state);
    const pools = new SearchingPools(repository, NO_TEAMS, config(2));
    await pools.read(POOL);
    state.changes = { nowMs: 11_000, changed: ['a'], searching: [] } as never;
    expect(ids((await pools.read(POOL)).players)).toEqual(['b']);
    state.players = [player('b', 2)];
    await pools.read(POOL);
    expect(calls).toEqual(['whole', `since ${10_000 - CHANGES_OVERLAP_MS}`, 'whole']);
    expect(pools.size).toBe(0);
  });

  it('keeps nothing with MATCH_POOL_CACHE_MIN=0', async () => {
    const { repository, calls } = fakeRepository({ players: [player('a', 1)], nowMs: 1, changes: null });
    const pools = new SearchingPools(repository, NO_TEAMS, config(0));
    await pools.read(POOL);
    await pools.read(POOL);
    expect(calls).toEqual(['whole', 'whole']);
  });

  it('reads the pool whole again once MATCH_POOL_CACHE_REFRESH_MS passed (a write the overlap missed heals)', async () => {
    const state = { players: [player('a', 1), player('b', 2)], nowMs: 10_000, changes: null };
    const { repository, calls } = fakeRepository(state);
    const pools = new SearchingPools(repository, NO_TEAMS, config(1, 100));
    await pools.read(POOL);
    await pools.read(POOL);
    state.players = [player('b', 2)];
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ids((await pools.read(POOL)).players)).toEqual(['b']);
    expect(calls).toEqual(['whole', `since ${10_000 - CHANGES_OVERLAP_MS}`, 'whole']);
  });

  it('keeps a big team pool too: its tickets written since the last read replace or join the kept ones', async () => {
    const ticket = (id: string, members: string[]): WaitingTicket => ({
      id,
      party_id: null,
      region: null,
      ...{ time_control: '5+0', mode: 'rated', variant: 'standard', category: 'blitz' },
      enqueued_ms: 1,
      members: members.map((user_id) => ({ user_id, username: null, rating: 1500 })),
    });
    const calls: string[] = [];
    let changes: TeamPoolChanges = { nowMs: 11_000, changed: [], tickets: [] };
    const teams = {
      waiting: async (): Promise<TeamPool> => {
        calls.push('whole');
        return { nowMs: 10_000, tickets: [ticket('p', ['a', 'b']), ticket('q', ['c']), ticket('r', ['d'])] };
      },
      changedSince: async (_pool: unknown, sinceMs: number): Promise<TeamPoolChanges> => {
        calls.push(`since ${sinceMs}`);
        return changes;
      },
    } as unknown as TeamPairingRepository;
    const team = { tenantId: 't', poolKey: 'standard_5+0_rated_2v2' };
    const pools = new SearchingPools(
      fakeRepository({ players: [], nowMs: 0, changes: null }).repository,
      teams,
      config(4),
    );
    expect((await pools.readTeam(team)).tickets.map((t) => t.id)).toEqual(['p', 'q', 'r']);
    expect(pools.keeps(team)).toBe(true);
    // q cancelled, s joined
    changes = { nowMs: 11_000, changed: ['q', 's'], tickets: [ticket('s', ['e', 'f'])] };
    const second = await pools.readTeam(team);
    expect(second.nowMs).toBe(11_000);
    expect(second.tickets.map((t) => t.id).sort()).toEqual(['p', 'r', 's']);
    // p matched: three players are left, fewer than MATCH_POOL_CACHE_MIN, so the next tick reads it whole
    changes = { nowMs: 12_000, changed: ['p'], tickets: [] };
    expect((await pools.readTeam(team)).tickets.map((t) => t.id).sort()).toEqual(['r', 's']);
    expect(pools.keeps(team)).toBe(false);
    await pools.readTeam(team);
    expect(calls).toEqual([
      'whole',
      `since ${10_000 - CHANGES_OVERLAP_MS}`,
      `since ${11_000 - CHANGES_OVERLAP_MS}`,
      'whole',
    ]);
  });
});
