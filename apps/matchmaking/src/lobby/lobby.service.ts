import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { formatTimeControl, parsePoolKey } from '@app/core';
import { invalid } from '../common/problem';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { LobbyCacheRepository, LobbyLine } from './lobby-cache.repository';
import { LobbyDto } from './lobby.dto';
import { PoolWaitsRepository } from './pool-waits.repository';

/**
 * The median moves when the pool makes matches (then it is re-read at once) or as old ones leave the
 * lookback, or when another worker ticked the pool: re-read at least this often.
 */
const ESTIMATE_REFRESH_MS = 5_000;
/** Bounds the per-process estimate memo; past it the memo starts over (a miss costs one query). */
const ESTIMATE_MEMO_MAX = 10_000;

const memoKey = (pool: PoolRef) => `${pool.tenantId}\u0000${pool.poolKey}`;

export interface LobbyFilter {
  variant?: string;
  mode?: string;
  format?: string;
}

/**
 * The lobby: every tick writes its pool's waiting count and estimate to a Redis cache shared by all
 * replicas, and an emptied pool leaves it; reads never touch PostgreSQL.
 */
@Injectable()
export class LobbyService {
  private readonly logger = new Logger(LobbyService.name);
  private readonly estimates = new Map<string, { seconds: number; until: number }>();
  /** A line its tick has not refreshed for this long belongs to a pool that stopped ticking. */
  private readonly staleMs: number;

  constructor(
    private readonly cache: LobbyCacheRepository,
    private readonly waits: PoolWaitsRepository,
    private readonly config: AppConfig,
  ) {
    // A killed worker's lock holds its pool up to TICK_LOCK_MS, then the next tick refreshes the line.
    this.staleMs = config.tickLockMs + 2 * config.matchTickMs;
  }

  /**
   * Called by each tick with the players still waiting after it and the matches it claimed. The lobby is a view: a
   * failure to write it is logged, never fails the tick that already paired players.
   */
  async record(pool: PoolRef, tick: { waitingAfter: number; claimed: number }): Promise<void> {
    const waitingCount = tick.waitingAfter;
    if (tick.claimed > 0) this.estimates.delete(memoKey(pool));
    try {
      if (waitingCount <= 0) return await this.cache.remove(pool.tenantId, pool.poolKey);
      const line = await this.lineOf(pool, waitingCount);
      if (line) await this.cache.put(pool.tenantId, line, 10 * this.staleMs);
    } catch (error) {
      this.logger.warn({ err: error, pool_key: pool.poolKey }, 'lobby not updated');
    }
  }

  async pools(tenantId: string, filter: LobbyFilter): Promise<LobbyDto> {
    if (filter.variant !== undefined && !this.config.variants.includes(filter.variant)) {
      throw invalid('variant', `must be one of ${this.config.variants.join(', ')}`);
    }
    if (filter.format !== undefined && !this.config.formats.includes(filter.format)) {
      throw invalid('format', `must be one of ${this.config.formats.join(', ')}`);
    }
    const fresh = Date.now() - this.staleMs;
    const lines = (await this.cache.lines(tenantId))
      .filter((l) => l.at >= fresh)
      .filter((l) => !filter.variant || l.variant === filter.variant)
      .filter((l) => !filter.mode || l.mode === filter.mode)
      .filter((l) => !filter.format || l.format === filter.format)
      .sort((a, b) => b.waitingCount - a.waitingCount || (a.poolKey < b.poolKey ? -1 : 1));
    return {
      pools: lines.map((l) => ({
        pool_key: l.poolKey,
        time_control: l.timeControl,
        mode: l.mode,
        variant: l.variant,
        format: l.format,
        waiting_count: l.waitingCount,
        estimated_wait_seconds: l.estimatedWaitSeconds,
      })),
    };
  }

  private async lineOf(pool: PoolRef, waitingCount: number): Promise<LobbyLine | null> {
    const parts = parsePoolKey(pool.poolKey);
    if (!parts) return null;
    return {
      poolKey: pool.poolKey,
      timeControl: formatTimeControl(parts.timeControl),
      mode: parts.mode,
      variant: parts.variant,
      format: parts.format,
      waitingCount,
      estimatedWaitSeconds: await this.estimate(pool),
      at: Date.now(),
    };
  }

  /**
   * The join's estimate without a player's rating: the median wait of the pool's recent matches,
   * else the time for the rating window to widen three steps; never past the queue timeout.
   */
  private async estimate(pool: PoolRef): Promise<number> {
    const key = memoKey(pool);
    const now = Date.now();
    const memo = this.estimates.get(key);
    if (memo && memo.until > now) return memo.seconds;
    const tickSeconds = Math.ceil(this.config.matchTickMs / 1000);
    const fallback = tickSeconds + 3 * this.config.matching.windowStepSeconds;
    const median = await this.waits.medianWaitSeconds(pool.tenantId, pool.poolKey);
    const seconds = Math.min(this.config.queueTimeoutSeconds, median ?? fallback);
    if (this.estimates.size > ESTIMATE_MEMO_MAX) this.estimates.clear();
    this.estimates.set(key, { seconds, until: now + ESTIMATE_REFRESH_MS });
    return seconds;
  }
}
