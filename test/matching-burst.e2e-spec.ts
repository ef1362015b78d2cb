import { insertSearching, MATCHING_ENV } from './support/fixtures';
import { playerApi } from './support/api';
import { useStubbedService } from './support/stub';
import { tenantIds, TestApp } from './support/test-app';

const newTenant = tenantIds('tb');

describe('a tick claims at most MATCH_MAX_PAIRS_PER_TICK pairs', () => {
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
});
