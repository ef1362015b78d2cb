import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { tickSchedulerId } from '../jobs/job-names';
import type { PoolRef } from '../jobs/job-schedules.repository';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Keeps two workers from ticking one pool at once. An optimisation only: the claim in PostgreSQL is
 * what makes overlapping ticks harmless, so the lock may lapse under a slow tick.
 */
@Injectable()
export class TickLockRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** A token to release with, or null when another tick holds the pool. */
  async acquire(pool: PoolRef): Promise<string | null> {
    const token = randomUUID();
    const held = await this.redis.set(this.key(pool), token, 'PX', this.config.tickLockMs, 'NX');
    return held ? token : null;
  }

  async release(pool: PoolRef, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(pool), token).catch(() => undefined);
  }

  private key(pool: PoolRef): string {
    return `${this.config.redisKeyPrefix}:tick-lock:${tickSchedulerId(pool.tenantId, pool.poolKey)}`;
  }
}
