import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { Player } from '../auth/principal';
import { RateLimitedException } from '../common/problem';
import { REDIS } from '../infra/redis.module';

/** A stream not heartbeaten for this many heartbeats belonged to a replica that died; its slot is free. */
const STALE_AFTER_HEARTBEATS = 3;

// KEYS[1] the user's set; ARGV: stale ms, max, member. Scores are Redis' clock, the same for every replica.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;
const TOUCH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now, ARGV[2]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1`;

export interface StreamSlot {
  /** Keeps the slot alive; call once per heartbeat. */
  touch(): void;
  /** Frees the slot; idempotent. */
  release(): void;
}

/**
 * SSE_MAX_STREAMS_PER_USER, across replicas: a sorted set per user of open stream ids scored by their
 * last heartbeat, so the streams of a crashed replica drop out after a few heartbeats.
 */
@Injectable()
export class StreamSlotsService {
  private readonly logger = new Logger(StreamSlotsService.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private get staleMs(): number {
    return STALE_AFTER_HEARTBEATS * this.config.sse.heartbeatMs;
  }

  /**
   * A slot held for as long as the stream of `signal` lives: released when it aborts, however the stream
   * ends (Nest's @Sse() aborts it, also for a client that left while the caller still awaited). Null when
   * the client is already gone.
   */
  async acquireWhile(player: Player, signal: AbortSignal): Promise<StreamSlot | null> {
    const slot = await this.acquire(player);
    if (signal.aborted) {
      slot.release();
      return null;
    }
    signal.addEventListener('abort', () => slot.release(), { once: true });
    return slot;
  }

  /** One more open stream for the player, or 429 RATE_LIMITED when they have the most allowed. */
  async acquire(player: Player): Promise<StreamSlot> {
    const key = `${this.config.redisKeyPrefix}:sse:${player.tenantId}|${player.userId}`;
    const member = randomUUID();
    const { maxStreamsPerUser, heartbeatMs } = this.config.sse;
    const granted = await this.redis.eval(ACQUIRE, 1, key, this.staleMs, maxStreamsPerUser, member);
    if (granted !== 1) {
      throw new RateLimitedException(`at most ${maxStreamsPerUser} open event streams per user`, heartbeatMs / 1000);
    }
    let released = false;
    const quietly = (what: string) => (error: unknown) =>
      this.logger.warn({ err: error }, `could not ${what} an event stream slot; it expires by itself`);
    return {
      touch: () => {
        if (!released) this.redis.eval(TOUCH, 1, key, this.staleMs, member).catch(quietly('refresh'));
      },
      release: () => {
        if (released) return;
        released = true;
        this.redis.zrem(key, member).catch(quietly('release'));
      },
    };
  }
}
