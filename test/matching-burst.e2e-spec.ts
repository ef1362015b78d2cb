import { insertSearching, MATCHING_ENV } from './support/fixtures';
import { playerApi } from './support/api';
import { useStubbedService } from './support/stub';
import { tenantIds, TestApp } from './support/test-app';

const newTenant = tenantIds('tb');

describe('a tick claims at most MATCH_MAX_PAIRS_PER_TICK pairs (an NvN match counting as N)', () => {
  let t: TestApp;
  const { join, untilStatus, setRating } = playerApi(
    useStubbedService({ ...MATCHING_ENV, MATCH_MAX_PAIRS_PER_TICK: '1' }, (started) => ({ t } = started)),
    { named: true },
  );

  it('pairs the longest waiters first and the others on a later tick, every pair with its game', async () => {
    const tenant = newTenant();
    // ann and bea have waited two minutes; cid and dee (who joins now) fit each other but neither of them
    await insertSearching(t.db, tenant, 'qb', '3+2', [
      { user: 'ann', rating: 1500, waitedSeconds: 120 },
      { user: 'bea', rating: 1510, waitedSeconds: 110 },
      { user: 'cid', rating: 2500, waitedSeconds: 5 },
    ]);
    await setRating(tenant, 'dee', 'blitz', 2510);
    const dee = await join(tenant, 'dee', { time_control: '3+2' });
    const ann = await untilStatus(tenant, 'ann', `qb_${tenant}_ann`, 'MATCHED', 8000);
    const cid = await untilStatus(tenant, 'cid', `qb_${tenant}_cid`, 'MATCHED', 8000);
    expect([ann.opponent.user_id, cid.opponent.user_id]).toEqual(['bea', 'dee']);
    expect((await untilStatus(tenant, 'dee', dee.queue_entry_id, 'MATCHED', 8000)).game_id).toBe(cid.game_id);
    const made = await t.db.query<{ white_user_id: string; black_user_id: string }[]>(
      `SELECT white_user_id, black_user_id FROM matches WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenant],
    );
    // two claims, the older pair's first (one claim would have written both matches at one instant)
    expect(made.map((m) => [m.white_user_id, m.black_user_id].sort())).toEqual([
      ['ann', 'bea'],
      ['cid', 'dee'],
    ]);
    const createdAt = await t.db.query<{ n: number }[]>(
      `SELECT count(DISTINCT created_at)::int AS n FROM matches WHERE tenant_id = $1`,
      [tenant],
    );
    expect(createdAt[0].n).toBe(2);
  });

  it('makes the longest waiters’ 2v2 first and the other on a later tick (one 2v2 a tick, not none)', async () => {
    const tenant = newTenant();
    const seeds = [
      ['ann', 1500, 120],
      ['bea', 1510, 115],
      ['cid', 1490, 110],
      ['dan', 1505, 105],
      ['eve', 2500, 5],
      ['fay', 2510, 5],
      ['gus', 2490, 5],
    ] as const;
    // solo tickets written without a join (the insert trigger gives each its member row); hal's join starts the pool
    await t.db.query(
      `INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
         format, rating, status, enqueued_at, expires_at)
       SELECT 'qt_' || $1 || '_' || u, $1, u, upper(u), 'standard_3+0_rated_2v2', '3+0', 'rated', 'standard',
              'team_blitz', '2v2', r, 'SEARCHING', now() - make_interval(secs => a), now() + interval '1 hour'
       FROM unnest($2::text[], $3::int[], $4::int[]) AS x(u, r, a)`,
      [tenant, seeds.map((s) => s[0]), seeds.map((s) => s[1]), seeds.map((s) => s[2])],
    );
    await setRating(tenant, 'hal', 'team_blitz', 2505);
    const hal = await join(tenant, 'hal', { time_control: '3+0', format: '2v2' });
    await untilStatus(tenant, 'ann', `qt_${tenant}_ann`, 'MATCHED', 8000);
    await untilStatus(tenant, 'hal', hal.queue_entry_id, 'MATCHED', 8000);
    const made = await t.db.query<{ users: string[]; created_at: string }[]>(
      `SELECT array_agg(p.user_id ORDER BY p.user_id) AS users, m.created_at::text AS created_at
       FROM matches m JOIN match_players p ON p.match_id = m.id WHERE m.tenant_id = $1
       GROUP BY m.id, m.created_at ORDER BY m.created_at, m.id`,
      [tenant],
    );
    expect(made.map((m) => m.users)).toEqual([
      ['ann', 'bea', 'cid', 'dan'],
      ['eve', 'fay', 'gus', 'hal'],
    ]);
    // two claims: one would have written both matches at one instant
    expect(made[0].created_at).not.toBe(made[1].created_at);
  });
});
