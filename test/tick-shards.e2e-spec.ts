import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { JOBS, QUEUES, tickShardSchedulerId } from '../apps/matchmaking/src/jobs/job-names';
import { JobSchedulesRepository } from '../apps/matchmaking/src/jobs/job-schedules.repository';
import { MatchingService } from '../apps/matchmaking/src/matching/matching.service';
import { joinQueue, playerAuth, QUEUE } from './support/api';
import { sleep, startApp, tenantIds, TestApp, waitFor } from './support/test-app';

/** Longer than the tests' usual 100 ms: two services in one process share a loaded machine's core. */
const TICK_MS = 200;
const POOL_KEY = 'standard_5+0_rated';
const newTenant = tenantIds('s');

interface TickRun {
  tenant: string;
  worker: MatchingService;
  started: number;
}

const schedulerIds = async (t: TestApp) =>
  (await t.app.get<Queue>(getQueueToken(QUEUES.matching)).getJobSchedulers()).map((s) => s.key).sort();

/**
 * SPEC §7 and §11: every pool with someone waiting ticks every MATCH_TICK_MS, spread over the workers,
 * and one pool's tick never runs twice at once. The pools share MATCH_TICK_SHARDS tick schedulers, each
 * ticking its pools in a loop; a shard's scheduler lives while the shard has a pool with someone waiting.
 */
describe('tick shards', () => {
  let first: TestApp;
  let second: TestApp;
  const runs: TickRun[] = [];
  const running = new Map<string, number>();
  let overlapping = 0;

  beforeAll(async () => {
    const tick = MatchingService.prototype.tick;
    jest.spyOn(MatchingService.prototype, 'tick').mockImplementation(async function (this: MatchingService, ...args) {
      const [pool] = args;
      const key = `${pool.tenantId}/${pool.poolKey}`;
      runs.push({ tenant: pool.tenantId, worker: this, started: Date.now() });
      running.set(key, (running.get(key) ?? 0) + 1);
      if (running.get(key)! > 1) overlapping++;
      try {
        return await tick.apply(this, args);
      } finally {
        running.set(key, running.get(key)! - 1);
      }
    });
    // A shard's lease lapses only when its worker stalls for ~2/3 of TICK_LOCK_MS, as two services in one
    // process on a loaded machine do at the 2-tick default; the lapse has its own test in
    // matching-faults.
    const env = { MATCH_TICK_MS: String(TICK_MS), MATCH_TICK_SHARDS: '4', TICK_LOCK_MS: '2000' };
    first = await startApp(env);
    second = await startApp(env, first.storage);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    jest.restoreAllMocks();
  });

  const ticksOf = (tenant: string, from: number, to = Infinity) =>
    runs.filter((r) => r.tenant === tenant && r.started >= from && r.started < to);

  it('ticks every active pool once a tick, the shards shared by two workers, never one pool twice at once', async () => {
    const tenants = Array.from({ length: 24 }, () => newTenant());
    await Promise.all(tenants.map((tenant) => joinQueue(first, tenant, 'solo')));
    await waitFor(() => tenants.every((tenant) => ticksOf(tenant, 0).length > 0), 5000);

    const from = Date.now();
    await sleep(15 * TICK_MS);
    const to = Date.now();
    const due = (to - from) / TICK_MS;
    for (const tenant of tenants) {
      const ticks = ticksOf(tenant, from, to).length;
      // one tick per MATCH_TICK_MS, from one worker: two workers each ticking it would make twice as many
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(0.5 * due));
      expect(ticks).toBeLessThanOrEqual(Math.ceil(due) + 2);
    }
    expect(overlapping).toBe(0);
    const workers = new Set(runs.filter((r) => r.started >= from && r.started < to).map((r) => r.worker));
    expect(workers).toEqual(new Set([first.app.get(MatchingService), second.app.get(MatchingService)]));
  });

  it('ticks a pool within about a tick of its first join, and pairs its two players', async () => {
    const tenant = newTenant();
    const joined = Date.now();
    const a = await joinQueue(second, tenant, 'ada');
    await waitFor(() => ticksOf(tenant, joined).length > 0, 5000, 5);
    // the next run of the pool's shard, at most a tick away; the rest is the join's own time on a loaded machine
    expect(ticksOf(tenant, joined)[0].started - joined).toBeLessThan(5 * TICK_MS);
    await joinQueue(second, tenant, 'bob');
    // no live-game API here: the pair's match stays MATCHING, its game never made
    const paired = await waitFor(async () => {
      const res = await second.http().get(`${QUEUE}/${a.queue_entry_id}`).set(playerAuth(tenant, 'ada'));
      return res.body.status !== 'SEARCHING' && res.body;
    }, 5000);
    expect(paired.status).toBe('MATCHING');
  });

  it('removes a per-pool tick scheduler left by an older release, and the pool ticks on in its shard', async () => {
    const tenant = newTenant();
    await joinQueue(first, tenant, 'dee');
    const legacy = `tick.${tenant}.${POOL_KEY}`;
    await first.app
      .get<Queue>(getQueueToken(QUEUES.matching))
      .upsertJobScheduler(
        legacy,
        { every: TICK_MS },
        { name: JOBS.tick, data: { tenantId: tenant, poolKey: POOL_KEY } },
      );
    await waitFor(async () => !(await schedulerIds(first)).includes(legacy), 3000);
    const after = Date.now();
    await waitFor(() => ticksOf(tenant, after).length >= 3, 3000);
    expect(overlapping).toBe(0);
  });

  it("takes an emptied pool out of its shard, the shard's scheduler with its last pool, and brings both back", async () => {
    const own = await startApp({ MATCH_TICK_MS: String(TICK_MS), MATCH_TICK_SHARDS: '4' });
    try {
      const tenant = newTenant();
      const shard = own.app.get(JobSchedulesRepository).shardOf({ tenantId: tenant, poolKey: POOL_KEY });
      expect(await schedulerIds(own)).toEqual([]);
      const entry = await joinQueue(own, tenant, 'cy');
      await waitFor(async () => (await schedulerIds(own)).includes(tickShardSchedulerId(shard)), 3000);
      expect(await schedulerIds(own)).toEqual([tickShardSchedulerId(shard)]);
      await waitFor(() => ticksOf(tenant, 0).length > 0, 3000);

      // the job dashboard's tick jobs tell what a shard's run ticked
      const queue = own.app.get<Queue>(getQueueToken(QUEUES.matching));
      const done = await waitFor(async () => {
        const jobs = (await queue.getJobs(['completed'])).filter((j) => j.name === JOBS.tickShard);
        return jobs.find((j) => j.returnvalue?.ticked === 1);
      }, 3000);
      expect(done.data).toEqual({ shard });
      expect(done.returnvalue).toMatchObject({ shard, pools: 1, ticked: 1, claimed: 0, failed: 0 });

      const left = await own.http().delete(`${QUEUE}/${entry.queue_entry_id}`).set(playerAuth(tenant, 'cy'));
      expect(left.status).toBe(200);
      await waitFor(async () => (await schedulerIds(own)).length === 0, 3000);
      await sleep(2 * TICK_MS);
      const quiet = Date.now();
      await sleep(5 * TICK_MS);
      expect(ticksOf(tenant, quiet)).toHaveLength(0);

      await joinQueue(own, tenant, 'cy');
      await waitFor(async () => (await schedulerIds(own)).includes(tickShardSchedulerId(shard)), 3000);
      await waitFor(() => ticksOf(tenant, quiet).length > 0, 3000);
    } finally {
      await own.close();
    }
  });
});
