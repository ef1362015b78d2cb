import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { JOBS, QUEUES, tickSchedulerId } from '../jobs/job-names';

export interface PoolRef {
  tenantId: string;
  poolKey: string;
}

/**
 * One tick scheduler per pool with someone waiting. A Redis marker avoids re-upserting on every
 * join; PostgreSQL decides which pools must tick, so a wiped Redis is rebuilt by reconcile().
 */
@Injectable()
export class PoolSchedulerService {
  private readonly logger = new Logger(PoolSchedulerService.name);
  private static readonly MARKER_TTL_MS = 60_000;
  /** Pools this process saw ticking recently: most joins then skip the Redis round trip. */
  private readonly recentlyEnsured = new Map<string, number>();
  private static readonly LOCAL_TTL_MS = 1_000;

  constructor(
    @InjectQueue(QUEUES.matching) private readonly matching: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  private marker(pool: PoolRef): string {
    return `${this.config.redisKeyPrefix}:pool-ticking:${tickSchedulerId(pool.tenantId, pool.poolKey)}`;
  }

  async ensure(pool: PoolRef): Promise<void> {
    const marker = this.marker(pool);
    const now = Date.now();
    if ((this.recentlyEnsured.get(marker) ?? 0) > now) return;
    const fresh = await this.redis.set(marker, '1', 'PX', PoolSchedulerService.MARKER_TTL_MS, 'NX');
    if (fresh) await this.upsert(pool);
    if (this.recentlyEnsured.size > 10_000) this.recentlyEnsured.clear();
    this.recentlyEnsured.set(marker, now + PoolSchedulerService.LOCAL_TTL_MS);
  }

  private async upsert(pool: PoolRef): Promise<void> {
    await this.matching.upsertJobScheduler(
      tickSchedulerId(pool.tenantId, pool.poolKey),
      { every: this.config.matchTickMs },
      { name: JOBS.tick, data: pool, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  /** Called by a tick that found its pool empty; re-checks after removing to close the race with a join. */
  async stopIfEmpty(pool: PoolRef): Promise<boolean> {
    this.recentlyEnsured.delete(this.marker(pool));
    await this.redis.del(this.marker(pool));
    await this.matching.removeJobScheduler(tickSchedulerId(pool.tenantId, pool.poolKey));
    if (await this.hasWaiting(pool)) {
      await this.ensure(pool);
      return false;
    }
    return true;
  }

  private async hasWaiting(pool: PoolRef): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM queue_entries WHERE tenant_id = $1 AND pool_key = $2 AND status = 'SEARCHING') AS waiting`,
      [pool.tenantId, pool.poolKey],
    );
    return row.waiting;
  }

  /** Every pool with a SEARCHING entry gets its scheduler back (after a Redis wipe or restart). */
  async reconcile(): Promise<number> {
    const pools: { tenant_id: string; pool_key: string }[] = await this.db.query(
      `SELECT DISTINCT tenant_id, pool_key FROM queue_entries WHERE status = 'SEARCHING'`,
    );
    let restored = 0;
    for (const p of pools) {
      const pool = { tenantId: p.tenant_id, poolKey: p.pool_key };
      const exists = await this.redis.exists(this.marker(pool));
      if (exists && (await this.matching.getJobScheduler(tickSchedulerId(pool.tenantId, pool.poolKey)))) continue;
      await this.redis.set(this.marker(pool), '1', 'PX', PoolSchedulerService.MARKER_TTL_MS);
      await this.upsert(pool);
      restored++;
    }
    if (restored) this.logger.log({ restored }, 'pool tick schedulers restored from PostgreSQL');
    return restored;
  }
}
