import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobSchedulesRepository, PoolRef } from '../jobs/job-schedules.repository';
import { PoolsRepository } from './pools.repository';

export type { PoolRef } from '../jobs/job-schedules.repository';

/** Pools this process saw ticking within this long skip even the Redis call on a join. */
const LOCAL_TTL_MS = 1_000;
/** Bounds the in-process cache; past it the cache starts over (a miss only costs one Redis call). */
const LOCAL_MAX_POOLS = 10_000;
/** Nudges are sent in one Redis call per this long, not one per join. */
const NUDGE_FLUSH_MS = 10;

/**
 * Which pools tick. A pool with someone waiting is a member of its shard's set in Redis (the shard is
 * a hash of tenant and pool key); one BullMQ tick scheduler per shard with members ticks them all each
 * `MATCH_TICK_MS`. A join adds its pool (one Redis call, spared by a local cache), the tick that finds
 * a pool empty removes it and, with the shard's last pool, the shard's scheduler. PostgreSQL decides
 * which pools must tick, so a wiped Redis is rebuilt by reconcile().
 */
@Injectable()
export class PoolSchedulerService {
  private readonly logger = new Logger(PoolSchedulerService.name);
  private readonly recentlyEnsured = new Map<string, number>();
  private readonly nudged = new Map<string, PoolRef>();
  private flushing: NodeJS.Timeout | null = null;

  constructor(
    private readonly schedules: JobSchedulesRepository,
    private readonly pools: PoolsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Asks the workers to tick the pool within MATCH_NUDGE_MS rather than at its shard's next run (up to
   * MATCH_TICK_MS away), so a join next to a compatible player pairs at once. Buffered: the pools nudged
   * within NUDGE_FLUSH_MS go to Redis in one call, after the join has answered; a lost nudge only leaves
   * the pool to its shard's next run.
   */
  nudge(pool: PoolRef): void {
    if (!this.config.matching.nudgeMs) return;
    this.nudged.set(localKey(pool), pool);
    if (this.flushing) return;
    this.flushing = setTimeout(() => {
      this.flushing = null;
      const pools = [...this.nudged.values()];
      this.nudged.clear();
      this.schedules.addNudges(pools).catch((error) => this.logger.warn({ err: error }, 'tick nudges lost'));
    }, NUDGE_FLUSH_MS);
    this.flushing.unref();
  }

  async ensure(pool: PoolRef): Promise<void> {
    const key = localKey(pool);
    const now = Date.now();
    if ((this.recentlyEnsured.get(key) ?? 0) > now) return;
    const shard = this.schedules.shardOf(pool);
    if ((await this.schedules.addPools(shard, [pool])) && (await this.schedules.markShard(shard, true)))
      await this.schedules.upsertShard(shard);
    if (this.recentlyEnsured.size > LOCAL_MAX_POOLS) this.recentlyEnsured.clear();
    this.recentlyEnsured.set(key, now + LOCAL_TTL_MS);
  }

  /**
   * Called by a tick that found its pool empty. Re-checks after removing, to close the race with a
   * join to this pool (PostgreSQL) and, when the shard's scheduler went, with a join to another pool
   * of the shard (its set).
   */
  async stopIfEmpty(pool: PoolRef): Promise<boolean> {
    this.recentlyEnsured.delete(localKey(pool));
    const shard = this.schedules.shardOf(pool);
    const left = await this.schedules.removePool(shard, pool);
    if (!left) await this.schedules.removeShard(shard);
    if (await this.pools.hasWaiting(pool)) {
      await this.ensure(pool);
      return false;
    }
    if (!left && (await this.schedules.poolCount(shard)) > 0) {
      await this.schedules.markShard(shard, false);
      await this.schedules.upsertShard(shard);
    }
    return true;
  }

  /** Every pool with a SEARCHING entry is back in its shard, and every such shard has its scheduler (after a Redis wipe or restart). */
  async reconcile(): Promise<number> {
    const byShard = new Map<number, PoolRef[]>();
    for (const pool of await this.pools.withWaiting()) {
      const shard = this.schedules.shardOf(pool);
      const pools = byShard.get(shard);
      if (pools) pools.push(pool);
      else byShard.set(shard, [pool]);
    }
    let restored = 0;
    for (const [shard, pools] of byShard) {
      await this.schedules.addPools(shard, pools);
      if (await this.schedules.hasShard(shard)) continue;
      await this.schedules.markShard(shard, false);
      await this.schedules.upsertShard(shard);
      restored++;
    }
    if (restored) this.logger.log({ restored }, 'tick shard schedulers restored from PostgreSQL');
    return restored;
  }
}

function localKey(pool: PoolRef): string {
  return `${pool.tenantId}\n${pool.poolKey}`;
}
