import { JobSchedulesRepository } from '../apps/matchmaking/src/jobs/job-schedules.repository';
import { TickLockRepository } from '../apps/matchmaking/src/matching/tick-lock.repository';
import { playerApi } from './support/api';
import { Stub, useStubbedService } from './support/stub';
import { sleep, tenantIds, TestApp, waitFor } from './support/test-app';

const newTenant = tenantIds('f');

/**
 * SPEC §7: a pair the live-game API rejects for good is kept apart, an entry does not fail forever, and a
 * worker that dies mid-tick does not stall its pool.
 */
describe('matches that fail for good', () => {
  let stub: Stub;
  let t: TestApp;
  const service = useStubbedService(
    { REMATCH_COOLDOWN_SECONDS: '2', FAILED_MATCH_LIMIT: '2', GAME_CREATE_ATTEMPTS: '1', ACTIVE_GAME_CHECK: 'false' },
    (started) => ({ stub, t } = started),
  );
  const players = playerApi(service);
  const join = async (tenant: string, user: string) =>
    (await players.join(tenant, user, { time_control: '9+0' })).queue_entry_id as string;
  const entry = players.entry;
  const matchesOf = async (tenant: string) =>
    t.db.query<{ id: string; status: string }[]>(
      `SELECT id, status FROM matches WHERE tenant_id = $1 ORDER BY created_at`,
      [tenant],
    );

  it('keeps the two players of a rejected match apart for the rematch cooldown', async () => {
    await stub.control({ fail_next: { count: 1, status: 422 } });
    const tenant = newTenant();
    const a = await join(tenant, 'ann');
    await join(tenant, 'ben');
    await waitFor(async () => (await matchesOf(tenant)).some((m) => m.status === 'FAILED'));
    await sleep(1000);
    expect(await matchesOf(tenant)).toHaveLength(1);
    expect((await entry(tenant, 'ann', a)).status).toBe('SEARCHING');
    const matched = await waitFor(async () => {
      const e = await entry(tenant, 'ann', a);
      return e.status === 'MATCHED' && e;
    }, 8000);
    expect((await matchesOf(tenant)).map((m) => m.status)).toEqual(['FAILED', 'CREATED']);
    expect(matched.ended_reason).toBeNull();
  });

  it('ends an entry as CANCELLED (game_creation_failed) after FAILED_MATCH_LIMIT failed matches', async () => {
    await stub.control({ failure_rate: 1, failure_status: 422 });
    const tenant = newTenant();
    const a = await join(tenant, 'cal');
    const b = await join(tenant, 'dee');
    const ended = await waitFor(async () => {
      const e = await entry(tenant, 'cal', a);
      return e.status === 'CANCELLED' && e;
    }, 12000);
    expect(ended.ended_reason).toBe('game_creation_failed');
    expect(await entry(tenant, 'dee', b)).toMatchObject({ status: 'CANCELLED', ended_reason: 'game_creation_failed' });
    expect((await matchesOf(tenant)).map((m) => m.status)).toEqual(['FAILED', 'FAILED']);
    await stub.control({ failure_rate: 0 });
    await sleep(500);
    expect(await matchesOf(tenant)).toHaveLength(2);
  });

  it("matches a pool within about two ticks of a worker dying while it held the tick lock of the pool's shard", async () => {
    const tenant = newTenant();
    const shard = t.app.get(JobSchedulesRepository).shardOf({ tenantId: tenant, poolKey: 'standard_9+0_rated' });
    // As a worker killed mid-tick leaves it: taken, never released.
    expect(await t.app.get(TickLockRepository).acquire(shard)).toBeTruthy();
    const started = Date.now();
    const a = await join(tenant, 'eve');
    await join(tenant, 'fay');
    await waitFor(async () => (await entry(tenant, 'eve', a)).status !== 'SEARCHING', 5000, 20);
    // The lock lives two ticks (200 ms here); the rest is the tick itself and the test's polling.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
