import { insertSearching, MATCHING_ENV } from './support/fixtures';
import { playerApi } from './support/api';
import { Stub, useStubbedService } from './support/stub';
import { bearer, sleep, tenantIds, TestApp } from './support/test-app';

const newTenant = tenantIds('pc');

/**
 * A pool kept in the worker's memory (MATCH_POOL_CACHE_MIN) is read as changes since the last tick: the
 * players who join it, cancel in it or come back to it after a failed game must count as with whole reads.
 * The refresh is an hour away, so nothing here is healed by reading the pool whole again.
 */
describe('a pool kept in memory between ticks', () => {
  let stub: Stub;
  let t: TestApp;
  const {
    join,
    entry,
    setRating,
    untilStatus: until,
  } = playerApi(
    useStubbedService(
      {
        ...MATCHING_ENV,
        RATING_WINDOW_MAX: '150',
        MATCH_POOL_CACHE_MIN: '2',
        MATCH_POOL_CACHE_REFRESH_MS: '3600000',
        REMATCH_COOLDOWN_SECONDS: '2',
        GAME_CREATE_ATTEMPTS: '1',
      },
      (started) => ({ stub, t } = started),
    ),
    { named: true },
  );
  const id = (tenant: string, user: string) => `pc_${tenant}_${user}`;
  /**
   * Two far players join through the API, which starts the pool's ticks (every 100 ms): the first tick keeps
   * the pool, and they keep it at MATCH_POOL_CACHE_MIN whoever else leaves.
   */
  const startTicks = async (tenant: string) => {
    for (const [user, rating] of [
      ['yan', 3000],
      ['zed', 3600],
    ] as const) {
      await setRating(tenant, user, 'blitz', rating);
      await join(tenant, user, { time_control: '3+2' });
    }
    await sleep(500);
  };

  it('pairs a newcomer with the player who waits, not with one who cancelled since the last tick', async () => {
    const tenant = newTenant();
    // eve has waited longest, so a stale copy of the pool would keep offering her to fay
    await insertSearching(t.db, tenant, 'pc', '3+2', [
      { user: 'dan', rating: 1500, waitedSeconds: 30 },
      { user: 'eve', rating: 1700, waitedSeconds: 60 },
    ]);
    await startTicks(tenant);
    const cancel = await t
      .http()
      .delete(`/v1/matchmaking/queue/${id(tenant, 'eve')}`)
      .set(bearer('eve', { tenant_id: tenant }));
    expect(cancel.status).toBe(200);
    await setRating(tenant, 'fay', 'blitz', 1610);
    const fay = await join(tenant, 'fay', { time_control: '3+2' });
    const matched = await until(tenant, 'fay', fay.queue_entry_id, 'MATCHED');
    expect(matched.opponent.user_id).toBe('dan');
    expect((await entry(tenant, 'eve', id(tenant, 'eve'))).status).toBe('CANCELLED');
  });

  it('pairs again the players whose game failed, back in the pool at their old place', async () => {
    const tenant = newTenant();
    await insertSearching(t.db, tenant, 'pc', '3+2', [
      { user: 'gus', rating: 1000, waitedSeconds: 60 },
      { user: 'hal', rating: 1050, waitedSeconds: 50 },
      { user: 'ivy', rating: 2000, waitedSeconds: 40 },
    ]);
    await stub.control({ fail_next: { count: 1, status: 422 } });
    await startTicks(tenant);
    const gus = await until(tenant, 'gus', id(tenant, 'gus'), 'MATCHED', 12000);
    expect(gus.opponent.user_id).toBe('hal');
    const matches = await t.db.query<{ status: string }[]>(
      `SELECT status FROM matches WHERE tenant_id = $1 ORDER BY created_at`,
      [tenant],
    );
    expect(matches.map((m) => m.status)).toEqual(['FAILED', 'CREATED']);
    expect((await entry(tenant, 'ivy', id(tenant, 'ivy'))).status).toBe('SEARCHING');
  });

  it('keeps a team pool too: a 2v2 of the newcomers, without the ticket cancelled since the last tick', async () => {
    const tenant = newTenant();
    const TEAM = { time_control: '3+2', format: '2v2' };
    const queue = async (user: string, rating: number) => {
      await setRating(tenant, user, 'team_blitz', rating);
      return join(tenant, user, TEAM);
    };
    // five tickets, no four of them close enough: the ticks keep the pool (MATCH_POOL_CACHE_MIN=2)
    for (const [user, rating] of [
      ['yan', 3000],
      ['zed', 3600],
      ['ana', 1500],
      ['bob', 1510],
    ] as const)
      await queue(user, rating);
    const cid = await queue('cid', 1490);
    await sleep(500);
    const cancel = await t
      .http()
      .delete(`/v1/matchmaking/queue/${cid.queue_entry_id}`)
      .set(bearer('cid', { tenant_id: tenant }));
    expect(cancel.status).toBe(200);
    await queue('dan', 1495);
    await sleep(500);
    const eve = await queue('eve', 1505);
    const matched = await until(tenant, 'eve', eve.queue_entry_id, 'MATCHED', 12000);
    const players = matched.match.teams.flatMap((team: { players: { user_id: string }[] }) =>
      team.players.map((p) => p.user_id),
    );
    expect(players.sort()).toEqual(['ana', 'bob', 'dan', 'eve']);
    expect((await entry(tenant, 'cid', cid.queue_entry_id)).status).toBe('CANCELLED');
  });
});
