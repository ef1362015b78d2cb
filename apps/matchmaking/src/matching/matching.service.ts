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
import { EntryDetails, PairingRepository, PlannedMatch, SearchingPool } from './pairing.repository';
import { ClaimBudget } from './claim-budget';
import { SearchingPools } from './searching-pools';
import { TeamMatchingService } from './team-matching.service';

export interface TickOutcome {
  /** players read (every member of a team ticket) */
  waiting: number;
  /** players still waiting once the claimed matches left */
  waitingAfter: number;
  pairs: number;
  claimed: number;
  skipped?: 'empty';
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
  private readonly budget: ClaimBudget;

  constructor(
    private readonly pairing: PairingRepository,
    private readonly searchingPools: SearchingPools,
    private readonly matches: MatchesRepository,
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
    this.budget = new ClaimBudget(m.tickBudgetMs, m.maxPairsPerTick);
  }

  /** The caller (ShardTickerService) holds the lock of the pool's shard: one tick of a pool at a time. */
  async tick(pool: PoolRef, random: () => number = Math.random): Promise<TickOutcome> {
    const clock: TickClock = { started: performance.now(), matchMs: 0 };
    const result = await this.tickPool(pool, random, clock);
    this.metrics.observeTick(result.durationMs / 1000, result.claimed);
    for (const m of result.matches)
      this.metrics.observeMatch(m.poolKey, m.format, (m.whiteWaitMs + m.blackWaitMs) / 2000, m.ratingGap);
    await this.lobby.record(pool, result);
    return result;
  }

  private async tickPool(pool: PoolRef, random: () => number, clock: TickClock): Promise<TickOutcome> {
    if ((parsePoolKey(pool.poolKey)?.format ?? DEFAULT_FORMAT) !== DEFAULT_FORMAT) {
      const team = await this.teams.tick(pool, this.policy, random);
      clock.matchMs = team.matchMs;
      if (!team.tickets) {
        await this.pools.stopIfEmpty(pool);
        return outcome(clock, 0, 0, [], 'empty');
      }
      return outcome(clock, team.players, team.matches, team.created, undefined, team.players - team.claimedPlayers);
    }
    const searching = await this.searchingPools.read(pool);
    const waiting = searching.players.length;
    if (!waiting) {
      await this.pools.stopIfEmpty(pool);
      return outcome(clock, 0, 0, [], 'empty');
    }
    if (waiting < 2) return outcome(clock, waiting, 0, []);

    const { nowMs } = searching;
    const pairs = await this.choosePairs(pool, searching, clock);
    if (!pairs.length) return outcome(clock, waiting, 0, []);

    const claimStarted = performance.now();
    // Only the paired entries are looked up again: the rest of the pool is never turned into rows or maps.
    const paired = pairs.flatMap((p) => [p.a, p.b]);
    const details = await this.pairing.details(paired.map((p) => p.id));
    const history = await this.matches.colorHistory(
      pool.tenantId,
      paired.map((p) => p.userId),
    );
    const planned = pairs.map((p) => plan(p, details, history, nowMs, random));
    const created = await this.pairing.claim(
      { tenantId: pool.tenantId, poolKey: pool.poolKey, ...searching.constants! },
      planned,
    );
    await this.games.enqueue(created.map((m) => ({ matchId: m.id, requestId: m.requestId })));
    await this.events.publish(created.flatMap((m) => [m.whiteEntryId!, m.blackEntryId!]));
    this.budget.observe(pairs.length, performance.now() - claimStarted);
    if (created.length) {
      this.logger.log(
        { tenant_id: pool.tenantId, pool_key: pool.poolKey, waiting, pairs: created.length },
        'pairs claimed',
      );
    }
    return outcome(clock, waiting, pairs.length, created);
  }

  private async choosePairs(pool: PoolRef, searching: SearchingPool, clock: TickClock): Promise<Pair[]> {
    const { players, nowMs } = searching;
    const recent = await this.pairing.recentPairs(
      pool.tenantId,
      players.map((p) => p.userId),
      this.config.matching.rematchCooldownSeconds,
    );
    const cooldown = cooldownFromPairs(recent);
    const matchStarted = performance.now();
    const pairs = findPairs(players, nowMs, { ...this.policy, cooldown });
    clock.matchMs = performance.now() - matchStarted;
    return longestWaitersFirst(pairs, this.budget.pairs(performance.now() - clock.started));
  }
}

/**
 * At most `max` pairs (ClaimBudget: the cap and what fits in the tick's budget), those whose longer waiter
 * has waited longest: claiming 50,000 pairs costs seconds however it is written (docs/performance.md), more
 * than a tick and its lock, so a burst is claimed over several ticks, each still pairing the pool afresh and
 * oldest first. findPairs returns the pairs in their longer waiter's queue order, so these are its first `max`.
 */
function longestWaitersFirst(pairs: Pair[], max: number): Pair[] {
  return pairs.length <= max ? pairs : pairs.slice(0, max);
}

function plan(
  pair: Pair,
  details: Map<string, EntryDetails>,
  history: Map<string, ColorHistory>,
  nowMs: number,
  random: () => number,
): PlannedMatch {
  const side = (p: WaitingPlayer) => ({
    entryId: p.id,
    userId: p.userId,
    username: details.get(p.id)?.username ?? null,
    rating: p.rating,
    waitMs: Math.round(nowMs - p.enqueuedAt),
  });
  const { a, b } = pair;
  const whites = (u: string) => history.get(u)?.whites ?? 0;
  const aWhite =
    chooseWhite(
      { userId: a.userId, recentWhites: whites(a.userId) },
      { userId: b.userId, recentWhites: whites(b.userId) },
      random,
    ) === 'a';
  const [white, black] = aWhite ? [a, b] : [b, a];
  const later = a.enqueuedAt >= b.enqueuedAt ? a : b;
  return {
    white: side(white),
    black: side(black),
    region: a.region && a.region === b.region ? a.region : (a.region ?? b.region),
    requestId: details.get(later.id)?.requestId ?? null,
  };
}

function outcome(
  clock: TickClock,
  waiting: number,
  pairs: number,
  matches: MatchRecord[],
  skipped?: 'empty',
  waitingAfter = waiting - 2 * matches.length,
): TickOutcome {
  return {
    waiting,
    waitingAfter,
    pairs,
    claimed: matches.length,
    matches,
    skipped,
    matchMs: clock.matchMs,
    durationMs: performance.now() - clock.started,
  };
}
