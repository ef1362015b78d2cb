import { Injectable, Logger } from '@nestjs/common';
import { JobSchedulesRepository, PoolRef } from '../jobs/job-schedules.repository';
import { PoolsRepository } from './pools.repository';

export type { PoolRef } from '../jobs/job-schedules.repository';

/** Pools this process saw ticking within this long skip even the Redis marker on a join. */
const LOCAL_TTL_MS = 1_000;
/** Bounds the in-process cache; past it the cache starts over (a miss only costs one Redis call). */
const LOCAL_MAX_POOLS = 10_000;

/**
 * One tick scheduler per pool with someone waiting. A Redis marker avoids re-upserting on every
 * join; PostgreSQL decides which pools must tick, so a wiped Redis is rebuilt by reconcile().
 */
@Injectable()
export class PoolSchedulerService {
  private readonly logger = new Logger(PoolSchedulerService.name);
  private readonly recentlyEnsured = new Map<string, number>();

  constructor(
    private readonly schedules: JobSchedulesRepository,
    private readonly pools: PoolsRepository,
  ) {}

  async ensure(pool: PoolRef): Promise<void> {
    const key = this.schedules.tickMarker(pool);
    const now = Date.now();
    if ((this.recentlyEnsured.get(key) ?? 0) > now) return;
    if (await this.schedules.markTicking(pool, true)) await this.schedules.upsertTick(pool);
    if (this.recentlyEnsured.size > LOCAL_MAX_POOLS) this.recentlyEnsured.clear();
    this.recentlyEnsured.set(key, now + LOCAL_TTL_MS);
  }

  /** Called by a tick that found its pool empty; re-checks after removing to close the race with a join. */
  async stopIfEmpty(pool: PoolRef): Promise<boolean> {
    this.recentlyEnsured.delete(this.schedules.tickMarker(pool));
    await this.schedules.removeTick(pool);
    if (await this.pools.hasWaiting(pool)) {
      await this.ensure(pool);
      return false;
    }
    return true;
  }

  /** Every pool with a SEARCHING entry gets its scheduler back (after a Redis wipe or restart). */
  async reconcile(): Promise<number> {
    let restored = 0;
    for (const pool of await this.pools.withWaiting()) {
      if ((await this.schedules.isMarkedTicking(pool)) && (await this.schedules.hasTick(pool))) continue;
      await this.schedules.markTicking(pool, false);
      await this.schedules.upsertTick(pool);
      restored++;
    }
    if (restored) this.logger.log({ restored }, 'pool tick schedulers restored from PostgreSQL');
    return restored;
  }
}
