import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { JOBS, QUEUES, SWEEP_SCHEDULER_ID, tickSchedulerId } from './job-names';

export interface PoolRef {
  tenantId: string;
  poolKey: string;
}

/** How long a "this pool ticks" marker spares joins the scheduler upsert; reconcile re-creates lost ones. */
const TICK_MARKER_TTL_MS = 60_000;
/** The sweep's marker: how often a worker re-checks that the sweep scheduler exists. */
const SWEEP_MARKER_TTL_MS = 60_000;

/**
 * The BullMQ job schedulers (one tick per pool, one sweep) and the Redis markers that spare the
 * hot path from upserting them on every join.
 */
@Injectable()
export class JobSchedulesRepository {
  constructor(
    @InjectQueue(QUEUES.matching) private readonly matching: Queue,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  tickMarker(pool: PoolRef): string {
    return `${this.config.redisKeyPrefix}:pool-ticking:${tickSchedulerId(pool.tenantId, pool.poolKey)}`;
  }

  /** Sets the pool's marker; true when it was not set before (so the scheduler may be missing). */
  async markTicking(pool: PoolRef, onlyIfAbsent: boolean): Promise<boolean> {
    const marker = this.tickMarker(pool);
    const set = onlyIfAbsent
      ? await this.redis.set(marker, '1', 'PX', TICK_MARKER_TTL_MS, 'NX')
      : await this.redis.set(marker, '1', 'PX', TICK_MARKER_TTL_MS);
    return set === 'OK';
  }

  async isMarkedTicking(pool: PoolRef): Promise<boolean> {
    return (await this.redis.exists(this.tickMarker(pool))) === 1;
  }

  async upsertTick(pool: PoolRef): Promise<void> {
    await this.matching.upsertJobScheduler(
      tickSchedulerId(pool.tenantId, pool.poolKey),
      { every: this.config.matchTickMs },
      { name: JOBS.tick, data: pool, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  async hasTick(pool: PoolRef): Promise<boolean> {
    return Boolean(await this.matching.getJobScheduler(tickSchedulerId(pool.tenantId, pool.poolKey)));
  }

  async removeTick(pool: PoolRef): Promise<void> {
    await this.redis.del(this.tickMarker(pool));
    await this.matching.removeJobScheduler(tickSchedulerId(pool.tenantId, pool.poolKey));
  }

  /** Creates the sweep scheduler unless a worker did so within the marker's lifetime. */
  async ensureSweep(): Promise<void> {
    const marker = `${this.config.redisKeyPrefix}:sweep-scheduled`;
    if (await this.redis.exists(marker)) return;
    await this.maintenance.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: this.config.timeoutSweepMs },
      { name: JOBS.sweep },
    );
    await this.redis.set(marker, '1', 'PX', SWEEP_MARKER_TTL_MS);
  }
}
