import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { chooseWhite, cooldownFromPairs, findPairs, MatchPolicy, Pair, WaitingPlayer } from '@app/core';
import { EntryEventsService } from '../events/entry-events.service';
import { GameJobsService } from '../game-creation/game-jobs.service';
import { REDIS } from '../infra/redis.module';
import { MetricsService } from '../metrics/metrics.service';
import { tickSchedulerId } from '../jobs/job-names';
import { MatchesRepository, MatchRecord, PlannedMatch, PoolInfo } from './matches.repository';
import { PoolRef, PoolSchedulerService } from './pool-scheduler.service';

export interface TickOutcome {
  waiting: number;
  pairs: number;
  claimed: number;
  skipped?: 'busy' | 'empty';
  durationMs: number;
  matchMs: number;
  matches: MatchRecord[];
}

interface WaitingRow {
  id: string;
  user_id: string;
  username: string | null;
  rating: number;
  region: string | null;
  enqueued_ms: number;
  now_ms: number;
  time_control: string;
  mode: string;
  variant: string;
  category: string;
  request_id: string | null;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** One matching tick of one pool: read who waits, choose pairs, claim them, fan out game creation. */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);
  private readonly policy: MatchPolicy;

  constructor(
    private readonly db: DataSource,
    private readonly matches: MatchesRepository,
    private readonly pools: PoolSchedulerService,
    private readonly games: GameJobsService,
    private readonly events: EntryEventsService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    const m = config.matching;
    this.policy = {
      windowInitial: m.windowInitial,
      windowStep: m.windowStep,
      windowStepSeconds: m.windowStepSeconds,
      windowMax: m.windowMax,
      regionFallbackSeconds: m.regionFallbackSeconds,
    };
  }

  async tick(pool: PoolRef, random: () => number = Math.random): Promise<TickOutcome> {
    const started = performance.now();
    const lock = `${this.config.redisKeyPrefix}:tick-lock:${tickSchedulerId(pool.tenantId, pool.poolKey)}`;
    const token = randomUUID();
    // An optimisation only: the claim in PostgreSQL is what makes overlapping ticks harmless.
    const held = await this.redis.set(lock, token, 'PX', Math.max(30_000, this.config.matchTickMs * 10), 'NX');
    if (!held) return this.outcome(started, 0, 0, [], 0, 'busy');
    try {
      return this.metrics.observeTick(await this.tickLocked(pool, random, started));
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, lock, token).catch(() => undefined);
    }
  }

  private async tickLocked(pool: PoolRef, random: () => number, started: number): Promise<TickOutcome> {
    const rows: WaitingRow[] = await this.db.query(
      `SELECT id, user_id, username, rating, region, time_control, mode, variant, category, request_id,
              (extract(epoch FROM enqueued_at) * 1000)::float8 AS enqueued_ms,
              (extract(epoch FROM now()) * 1000)::float8 AS now_ms
       FROM queue_entries WHERE tenant_id = $1 AND pool_key = $2 AND status = 'SEARCHING'`,
      [pool.tenantId, pool.poolKey],
    );
    if (!rows.length) {
      await this.pools.stopIfEmpty(pool);
      return this.outcome(started, 0, 0, [], 0, 'empty');
    }
    if (rows.length < 2) return this.outcome(started, rows.length, 0, [], 0);

    const nowMs = rows[0].now_ms;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const players: WaitingPlayer[] = rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      rating: r.rating,
      region: r.region,
      enqueuedAt: r.enqueued_ms,
    }));
    const userIds = [...new Set(rows.map((r) => r.user_id))];
    const cooldown = cooldownFromPairs(
      await this.matches.recentPairs(pool.tenantId, userIds, this.config.matching.rematchCooldownSeconds),
    );
    const matchStarted = performance.now();
    const pairs = findPairs(players, nowMs, { ...this.policy, cooldown });
    const matchMs = performance.now() - matchStarted;
    if (!pairs.length) return this.outcome(started, rows.length, 0, [], matchMs);

    const history = await this.matches.colorHistory(
      pool.tenantId,
      pairs.flatMap((p) => [p.a.userId, p.b.userId]),
    );
    const planned = pairs.map((p) => this.plan(p, byId, history, nowMs, random));
    const first = rows[0];
    const info: PoolInfo = {
      tenantId: pool.tenantId,
      poolKey: pool.poolKey,
      timeControl: first.time_control,
      mode: first.mode,
      variant: first.variant,
      category: first.category,
    };
    const created = await this.matches.claim(info, planned);
    await this.games.enqueue(created.map((m) => ({ matchId: m.id, requestId: m.requestId })));
    await this.events.publish(created.flatMap((m) => [m.whiteEntryId!, m.blackEntryId!]));
    if (created.length) {
      this.logger.log(
        { tenant_id: pool.tenantId, pool_key: pool.poolKey, waiting: rows.length, pairs: created.length },
        'pairs claimed',
      );
    }
    return this.outcome(started, rows.length, pairs.length, created, matchMs);
  }

  private plan(
    pair: Pair,
    byId: Map<string, WaitingRow>,
    history: Map<string, { whites: number; games: number }>,
    nowMs: number,
    random: () => number,
  ): PlannedMatch {
    const side = (p: WaitingRow) => ({
      entryId: p.id,
      userId: p.user_id,
      username: p.username,
      rating: p.rating,
      waitMs: Math.round(nowMs - p.enqueued_ms),
    });
    const a = byId.get(pair.a.id)!;
    const b = byId.get(pair.b.id)!;
    const whites = (u: string) => history.get(u)?.whites ?? 0;
    const aWhite =
      chooseWhite(
        { userId: a.user_id, recentWhites: whites(a.user_id) },
        { userId: b.user_id, recentWhites: whites(b.user_id) },
        random,
      ) === 'a';
    const [white, black] = aWhite ? [a, b] : [b, a];
    const later = a.enqueued_ms >= b.enqueued_ms ? a : b;
    return {
      white: side(white),
      black: side(black),
      region: a.region && a.region === b.region ? a.region : (a.region ?? b.region),
      requestId: later.request_id,
    };
  }

  private outcome(
    started: number,
    waiting: number,
    pairs: number,
    matches: MatchRecord[],
    matchMs: number,
    skipped?: 'busy' | 'empty',
  ): TickOutcome {
    return {
      waiting,
      pairs,
      claimed: matches.length,
      matches,
      skipped,
      matchMs,
      durationMs: performance.now() - started,
    };
  }
}
