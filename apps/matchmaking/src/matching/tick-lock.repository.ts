import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { tickShardSchedulerId } from '../jobs/job-names';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Keeps two runs of one shard's tick (two BullMQ jobs of its scheduler, on one worker or two) from
 * ticking the shard's pools at once: a run that finds the lock taken skips. The holder extends it while
 * it ticks; a worker killed mid-tick holds the shard for at most TICK_LOCK_MS. The claim in PostgreSQL
 * is what makes overlapping ticks harmless should the lock lapse.
 */
@Injectable()
export class TickLockRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** A token to extend and release with, or null when another run holds the shard. */
  async acquire(shard: number): Promise<string | null> {
    const token = randomUUID();
    const held = await this.redis.set(this.key(shard), token, 'PX', this.config.tickLockMs, 'NX');
    return held ? token : null;
  }

  /** False when the lock was lost (it lapsed and another run took it). */
  async extend(shard: number, token: string): Promise<boolean> {
    return (await this.redis.eval(EXTEND, 1, this.key(shard), token, this.config.tickLockMs)) === 1;
  }

  /** A run that found the shard held says so: the holder ticks the shard once more when it is done. */
  async markMissed(shard: number): Promise<void> {
    await this.redis.set(`${this.key(shard)}:missed`, '1', 'PX', 2 * this.config.tickLockMs);
  }

  /** True (once) when a run of the shard skipped since the last call. */
  async takeMissed(shard: number): Promise<boolean> {
    return (await this.redis.del(`${this.key(shard)}:missed`)) === 1;
  }

  async release(shard: number, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(shard), token).catch(() => undefined);
  }

  private key(shard: number): string {
    return `${this.config.redisKeyPrefix}:tick-lock:${tickShardSchedulerId(shard)}`;
  }
}
