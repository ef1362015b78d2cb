import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import type { WaitingPlayer } from '@app/core';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { PairingRepository, SearchingPool } from './pairing.repository';
import { TeamPairingRepository, TeamPool } from './team-pairing.repository';

/**
 * Each read of changes starts this long before the previous read's instant: a write whose transaction began
 * before that read but committed after it carries the earlier updated_at (now() is the transaction's start).
 * Queue writes are single statements or short transactions; a longer one is caught by the next whole read.
 */
export const CHANGES_OVERLAP_MS = 2_000;

interface Kept {
  /** when the pool was last read whole (this process's clock) */
  readAt: number;
  pool: SearchingPool | TeamPool;
}

/**
 * Who waits in each pool, as a tick reads it. A big pool (MATCH_POOL_CACHE_MIN waiting players or more, 1v1
 * or team) stays in this worker's memory between its ticks: a tick reads only the entries written since the
 * last read and applies them (the writes of other workers' ticks of the pool included), and reads the whole
 * pool again every MATCH_POOL_CACHE_REFRESH_MS, which bounds the life of a write the overlap missed. PostgreSQL
 * stays the truth: a stale copy can only propose a pair or a match, and the claim's conditional update takes
 * only entries still SEARCHING.
 */
@Injectable()
export class SearchingPools {
  private readonly pools = new Map<string, Kept>();
  private readonly min: number;
  private readonly refreshMs: number;

  constructor(
    private readonly pairing: PairingRepository,
    private readonly teamPairing: TeamPairingRepository,
    config: AppConfig,
  ) {
    this.min = config.matching.poolCacheMin;
    this.refreshMs = config.matching.poolCacheRefreshMs;
  }

  /** True while this process keeps the pool (a big one): its ticks are cheap to read, not to match. */
  keeps(pool: PoolRef): boolean {
    return this.pools.has(keyOf(pool));
  }

  /** A 1v1 pool's SEARCHING entries, in queue order. */
  read(pool: PoolRef): Promise<SearchingPool> {
    return this.kept(
      pool,
      () => this.pairing.searching(pool),
      async (cached) => {
        const changes = await this.pairing.changedSince(pool, cached.nowMs - CHANGES_OVERLAP_MS);
        return {
          ...cached,
          nowMs: changes.nowMs,
          players: applyChanges(cached.players, changes.changed, changes.searching),
        };
      },
      (p) => p.players.length,
    );
  }

  /** A team pool's SEARCHING tickets with their open members. */
  readTeam(pool: PoolRef): Promise<TeamPool> {
    return this.kept(
      pool,
      () => this.teamPairing.waiting(pool),
      async (cached) => {
        const changes = await this.teamPairing.changedSince(pool, cached.nowMs - CHANGES_OVERLAP_MS);
        const gone = new Set(changes.changed);
        return {
          nowMs: changes.nowMs,
          tickets: [...cached.tickets.filter((t) => !gone.has(t.id)), ...changes.tickets],
        };
      },
      (p) => p.tickets.reduce((n, t) => n + t.members.length, 0),
    );
  }

  private async kept<P extends SearchingPool | TeamPool>(
    pool: PoolRef,
    whole: () => Promise<P>,
    since: (cached: P) => Promise<P>,
    players: (p: P) => number,
  ): Promise<P> {
    const key = keyOf(pool);
    const now = Date.now();
    for (const [k, cached] of this.pools) if (now - cached.readAt >= this.refreshMs) this.pools.delete(k);
    const cached = this.pools.get(key);
    if (cached) {
      const next = await since(cached.pool as P);
      if (players(next) >= this.min) this.pools.set(key, { readAt: cached.readAt, pool: next });
      else this.pools.delete(key);
      return next;
    }
    const read = await whole();
    if (this.min > 0 && players(read) >= this.min) this.pools.set(key, { readAt: now, pool: read });
    return read;
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
