import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  chooseWhite,
  cooldownFromPairs,
  DEFAULT_FORMAT,
  findPairs,
  MatchPolicy,
  Pair,
  parsePoolKey,
  WaitingPlayer,
} from '@app/core';
import { MatchRecord } from '@app/persistence';
import { EntryEventsService } from '../events/entry-events.service';
import { LobbyService } from '../lobby/lobby.service';
import { GameJobsRepository } from '../jobs/game-jobs.repository';
import { ColorHistory, MatchesRepository } from '../matches/matches.repository';
import { MetricsService } from '../metrics/metrics.service';
import { PoolRef, PoolSchedulerService } from '../pools/pool-scheduler.service';
import { PairingRepository, PlannedMatch, PoolInfo, WaitingRow } from './pairing.repository';
import { TeamMatchingService } from './team-matching.service';
import { TickLockRepository } from './tick-lock.repository';

export interface TickOutcome {
  waiting: number;
  pairs: number;
  claimed: number;
  skipped?: 'busy' | 'empty';
  durationMs: number;
  matchMs: number;
  matches: MatchRecord[];
}

interface TickClock {
  started: number;
  matchMs: number;
}

/** One matching tick of one pool: read who waits, choose pairs, claim them, fan out game creation. */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);
  private readonly policy: MatchPolicy;

  constructor(
    private readonly pairing: PairingRepository,
    private readonly matches: MatchesRepository,
    private readonly lock: TickLockRepository,
    private readonly teams: TeamMatchingService,
    private readonly pools: PoolSchedulerService,
    private readonly games: GameJobsRepository,
    private readonly events: EntryEventsService,
    private readonly metrics: MetricsService,
    private readonly lobby: LobbyService,
    private readonly config: AppConfig,
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
    const clock: TickClock = { started: performance.now(), matchMs: 0 };
    const token = await this.lock.acquire(pool);
    if (!token) return outcome(clock, 0, 0, [], 'busy');
    try {
      const result = await this.tickLocked(pool, random, clock);
      this.metrics.observeTick(result.durationMs / 1000, result.claimed);
      for (const m of result.matches)
        this.metrics.observeMatch(m.poolKey, m.format, (m.whiteWaitMs + m.blackWaitMs) / 2000, m.ratingGap);
      await this.lobby.record(pool, result);
      return result;
    } finally {
      await this.lock.release(pool, token);
    }
  }

  private async tickLocked(pool: PoolRef, random: () => number, clock: TickClock): Promise<TickOutcome> {
    const rows = await this.pairing.waiting(pool);
    if (!rows.length) {
      await this.pools.stopIfEmpty(pool);
      return outcome(clock, 0, 0, [], 'empty');
    }
    if ((parsePoolKey(pool.poolKey)?.format ?? DEFAULT_FORMAT) !== DEFAULT_FORMAT) {
      const team = await this.teams.tick(pool, this.policy, random);
      clock.matchMs = team.matchMs;
      return outcome(clock, team.tickets, team.matches, team.created);
    }
    if (rows.length < 2) return outcome(clock, rows.length, 0, []);

    const nowMs = rows[0].now_ms;
    const pairs = await this.choosePairs(pool, rows, nowMs, clock);
    if (!pairs.length) return outcome(clock, rows.length, 0, []);

    const byId = new Map(rows.map((r) => [r.id, r]));
    const history = await this.matches.colorHistory(
      pool.tenantId,
      pairs.flatMap((p) => [p.a.userId, p.b.userId]),
    );
    const planned = pairs.map((p) => plan(p, byId, history, nowMs, random));
    const created = await this.pairing.claim(poolInfo(pool, rows[0]), planned);
    await this.games.enqueue(created.map((m) => ({ matchId: m.id, requestId: m.requestId })));
    await this.events.publish(created.flatMap((m) => [m.whiteEntryId!, m.blackEntryId!]));
    if (created.length) {
      this.logger.log(
        { tenant_id: pool.tenantId, pool_key: pool.poolKey, waiting: rows.length, pairs: created.length },
        'pairs claimed',
      );
    }
    return outcome(clock, rows.length, pairs.length, created);
  }

  private async choosePairs(pool: PoolRef, rows: WaitingRow[], nowMs: number, clock: TickClock): Promise<Pair[]> {
    const players: WaitingPlayer[] = rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      rating: r.rating,
      region: r.region,
      enqueuedAt: r.enqueued_ms,
    }));
    const userIds = [...new Set(rows.map((r) => r.user_id))];
    const recent = await this.pairing.recentPairs(pool.tenantId, userIds, this.config.matching.rematchCooldownSeconds);
    const cooldown = cooldownFromPairs(recent);
    const matchStarted = performance.now();
    const pairs = findPairs(players, nowMs, { ...this.policy, cooldown });
    clock.matchMs = performance.now() - matchStarted;
    return pairs;
  }
}

function poolInfo(pool: PoolRef, row: WaitingRow): PoolInfo {
  return {
    tenantId: pool.tenantId,
    poolKey: pool.poolKey,
    timeControl: row.time_control,
    mode: row.mode,
    variant: row.variant,
    category: row.category,
  };
}

function plan(
  pair: Pair,
  byId: Map<string, WaitingRow>,
  history: Map<string, ColorHistory>,
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

function outcome(
  clock: TickClock,
  waiting: number,
  pairs: number,
  matches: MatchRecord[],
  skipped?: 'busy' | 'empty',
): TickOutcome {
  return {
    waiting,
    pairs,
    claimed: matches.length,
    matches,
    skipped,
    matchMs: clock.matchMs,
    durationMs: performance.now() - clock.started,
  };
}
