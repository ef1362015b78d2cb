import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { JOBS, QUEUES, SWEEP_SCHEDULER_ID, tickShardOf, tickShardSchedulerId } from './job-names';

export interface PoolRef {
  tenantId: string;
  poolKey: string;
}

/** The data of a shard's tick job. */
export interface TickShardJob {
  shard: number;
}

/** How long a "this shard ticks" marker spares joins the scheduler upsert; reconcile re-creates lost ones. */
const SHARD_MARKER_TTL_MS = 60_000;
/** The sweep's marker: how often a worker re-checks that the sweep scheduler exists. */
const SWEEP_MARKER_TTL_MS = 60_000;
/** Completed shard ticks kept for the job dashboard (a shard's last runs and what they ticked). */
const KEEP_COMPLETED_TICKS = 100;

const member = (pool: PoolRef) => JSON.stringify([pool.tenantId, pool.poolKey]);
const fromMember = (m: string): PoolRef => {
  const [tenantId, poolKey] = JSON.parse(m) as [string, string];
  return { tenantId, poolKey };
};

/**
 * The BullMQ job schedulers (one tick per shard of the pools, one sweep), each shard's set of active
 * pools in Redis, and the markers that spare the hot path from upserting schedulers on every join.
 */
@Injectable()
export class JobSchedulesRepository {
  constructor(
    @InjectQueue(QUEUES.matching) private readonly matching: Queue,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  shardOf(pool: PoolRef): number {
    return tickShardOf(pool.tenantId, pool.poolKey, this.config.tickShards);
  }

  /** Adds active pools to their shard; true when one of them was not in it before. */
  async addPools(shard: number, pools: PoolRef[]): Promise<boolean> {
    return (await this.redis.sadd(this.shardKey(shard), ...pools.map(member))) > 0;
  }

  /** Removes a pool from its shard; answers how many pools the shard has left. */
  async removePool(shard: number, pool: PoolRef): Promise<number> {
    const replies = await this.redis
      .multi()
      .srem(this.shardKey(shard), member(pool))
      .scard(this.shardKey(shard))
      .exec();
    return Number(replies?.[1]?.[1] ?? 0);
  }

  async poolCount(shard: number): Promise<number> {
    return this.redis.scard(this.shardKey(shard));
  }

  async poolsOf(shard: number): Promise<PoolRef[]> {
    return (await this.redis.smembers(this.shardKey(shard))).map(fromMember);
  }

  /** Pools that joins asked to tick soon, ahead of their shard's next run (one set for every worker). */
  async addNudges(pools: PoolRef[]): Promise<void> {
    if (pools.length) await this.redis.sadd(this.nudgeKey(), ...pools.map(member));
  }

  /** Up to `count` nudged pools, each taken by one worker only. */
  async takeNudges(count: number): Promise<PoolRef[]> {
    return (await this.redis.spop(this.nudgeKey(), count)).map(fromMember);
  }

  /** Sets the shard's marker; true when it was not set before (so the scheduler may be missing). */
  async markShard(shard: number, onlyIfAbsent: boolean): Promise<boolean> {
    const marker = this.shardMarker(shard);
    const set = onlyIfAbsent
      ? await this.redis.set(marker, '1', 'PX', SHARD_MARKER_TTL_MS, 'NX')
      : await this.redis.set(marker, '1', 'PX', SHARD_MARKER_TTL_MS);
    return set === 'OK';
  }

  async isShardMarked(shard: number): Promise<boolean> {
    return (await this.redis.exists(this.shardMarker(shard))) === 1;
  }

  async upsertShard(shard: number): Promise<void> {
    const data: TickShardJob = { shard };
    await this.matching.upsertJobScheduler(
      tickShardSchedulerId(shard),
      { every: this.config.matchTickMs },
      {
        name: JOBS.tickShard,
        data,
        opts: { removeOnComplete: { count: KEEP_COMPLETED_TICKS }, removeOnFail: 100 },
      },
    );
  }

  async hasShard(shard: number): Promise<boolean> {
    return Boolean(await this.matching.getJobScheduler(tickShardSchedulerId(shard)));
  }

  async removeShard(shard: number): Promise<void> {
    await this.redis.del(this.shardMarker(shard));
    await this.matching.removeJobScheduler(tickShardSchedulerId(shard));
  }

  /** Removes a scheduler of the per-pool design (Redis state left by an older release). */
  async removeScheduler(schedulerId: string): Promise<void> {
    await this.matching.removeJobScheduler(schedulerId);
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

  private shardKey(shard: number): string {
    return `${this.config.redisKeyPrefix}:tick-shard:${shard}:pools`;
  }

  private nudgeKey(): string {
    return `${this.config.redisKeyPrefix}:tick-nudges`;
  }

  private shardMarker(shard: number): string {
    return `${this.config.redisKeyPrefix}:tick-shard:${shard}:scheduled`;
  }
}
