import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import type { WaitingPlayer } from '@app/core';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { PairingRepository, SearchingPool } from './pairing.repository';

/**
 * Each read of changes starts this long before the previous read's instant: a write whose transaction began
 * before that read but committed after it carries the earlier updated_at (now() is the transaction's start).
 * Queue writes are single statements or short transactions; a longer one is caught by the next whole read.
 */
export const CHANGES_OVERLAP_MS = 2_000;

interface CachedPool extends SearchingPool {
  /** when the pool was last read whole (this process's clock) */
  readAt: number;
}

/**
 * Who waits in each pool, as a tick reads it. A big 1v1 pool (MATCH_POOL_CACHE_MIN waiting players or more)
 * stays in this worker's memory between its ticks: a tick reads only the entries written since the last read
 * and applies them (the writes of other workers' ticks of the pool included), and reads the whole pool again
 * every MATCH_POOL_CACHE_REFRESH_MS, which bounds the life of a write the overlap missed. PostgreSQL stays the truth:
 * a stale copy can only propose a pair, and the claim's conditional update takes only entries still SEARCHING.
 */
@Injectable()
export class SearchingPools {
  private readonly pools = new Map<string, CachedPool>();
  private readonly min: number;
  private readonly refreshMs: number;

  constructor(
    private readonly pairing: PairingRepository,
    config: AppConfig,
  ) {
    this.min = config.matching.poolCacheMin;
    this.refreshMs = config.matching.poolCacheRefreshMs;
  }

  /** True while this process keeps the pool (a big one): its ticks are cheap to read, not to match. */
  keeps(pool: PoolRef): boolean {
    return this.pools.has(keyOf(pool));
  }

  async read(pool: PoolRef): Promise<SearchingPool> {
    const key = keyOf(pool);
    const now = Date.now();
    for (const [k, cached] of this.pools) if (now - cached.readAt >= this.refreshMs) this.pools.delete(k);
    const cached = this.pools.get(key);
    if (cached) {
      const changes = await this.pairing.changedSince(pool, cached.nowMs - CHANGES_OVERLAP_MS);
      const players = applyChanges(cached.players, changes.changed, changes.searching);
      const next = { ...cached, nowMs: changes.nowMs, players };
      if (players.length >= this.min) this.pools.set(key, next);
      else this.pools.delete(key);
      return next;
    }
    const whole = await this.pairing.searching(pool);
    if (this.min > 0 && whole.players.length >= this.min) this.pools.set(key, { ...whole, readAt: now });
    return whole;
  }

  /** Pools this process keeps (tests, metrics). */
  get size(): number {
    return this.pools.size;
  }
}

const keyOf = (pool: PoolRef) => `${pool.tenantId}\u0000${pool.poolKey}`;

/**
 * `players` (in queue order) without every changed entry, with the changed ones still SEARCHING (in queue
 * order too) merged back in at their places: linear, where a sort of the pool would not be.
 */
export function applyChanges(
  players: readonly WaitingPlayer[],
  changed: readonly string[],
  searching: readonly WaitingPlayer[],
): WaitingPlayer[] {
  if (!changed.length) return players as WaitingPlayer[];
  const gone = new Set(changed);
  const kept = players.filter((p) => !gone.has(p.id));
  if (!searching.length) return kept;
  const out = new Array<WaitingPlayer>(kept.length + searching.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = j >= searching.length || (i < kept.length && !before(searching[j], kept[i])) ? kept[i++] : searching[j++];
  }
  return out;
}

/** Queue order: enqueue time, then id as PostgreSQL's "C" collation (and JavaScript) compares them. */
function before(a: WaitingPlayer, b: WaitingPlayer): boolean {
  return a.enqueuedAt < b.enqueuedAt || (a.enqueuedAt === b.enqueuedAt && a.id < b.id);
}
