import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';

/** One pool's line in the lobby, as its last tick wrote it. */
export interface LobbyLine {
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  format: string;
  waitingCount: number;
  estimatedWaitSeconds: number;
  /** When the tick wrote it (ms since the epoch). */
  at: number;
}

/**
 * The lobby of each tenant: a Redis hash of pool key → the line its tick last wrote, shared by every
 * api replica, so a lobby read costs one HGETALL and no PostgreSQL.
 */
@Injectable()
export class LobbyCacheRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private key(tenantId: string): string {
    return `${this.config.redisKeyPrefix}:lobby:${tenantId}`;
  }

  /** Writes a pool's line; the whole tenant's lobby expires once no pool of it ticks any more. */
  async put(tenantId: string, line: LobbyLine, ttlMs: number): Promise<void> {
    const key = this.key(tenantId);
    await this.redis.multi().hset(key, line.poolKey, JSON.stringify(line)).pexpire(key, ttlMs).exec();
  }

  async remove(tenantId: string, poolKey: string): Promise<void> {
    await this.redis.hdel(this.key(tenantId), poolKey);
  }

  async lines(tenantId: string): Promise<LobbyLine[]> {
    const all = await this.redis.hgetall(this.key(tenantId));
    return Object.values(all).map((v) => JSON.parse(v) as LobbyLine);
  }
}
