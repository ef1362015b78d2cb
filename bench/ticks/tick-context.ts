import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@app/config';
import { Database, Sql, SqlText } from '@app/persistence';
import { AppModule } from '../../apps/matchmaking/src/app.module';
import { EntryEventsService } from '../../apps/matchmaking/src/events/entry-events.service';
import { GameJobsRepository } from '../../apps/matchmaking/src/jobs/game-jobs.repository';
import { MatchesRepository } from '../../apps/matchmaking/src/matches/matches.repository';
import { PartyEventsService } from '../../apps/matchmaking/src/events/party-events.service';
import { TeamMatchesRepository } from '../../apps/matchmaking/src/matches/team-matches.repository';
import { TeamMatchingService } from '../../apps/matchmaking/src/matching/team-matching.service';
import { TeamPairingRepository } from '../../apps/matchmaking/src/matching/team-pairing.repository';
import { MatchingService } from '../../apps/matchmaking/src/matching/matching.service';
import { PairingRepository } from '../../apps/matchmaking/src/matching/pairing.repository';
import { SearchingPools } from '../../apps/matchmaking/src/matching/searching-pools';
import { MetricsService } from '../../apps/matchmaking/src/metrics/metrics.service';
import { PoolSchedulerService } from '../../apps/matchmaking/src/pools/pool-scheduler.service';
import { LobbyService } from '../../apps/matchmaking/src/lobby/lobby.service';

/**
 * The service's own MatchingService, in this process, wired from an application context of the
 * built service (ROLE=api, so no BullMQ worker runs and nothing ticks behind the bench's back), with
 * each stage of the tick timed by wrapping the repositories it calls.
 */

export type Stage = 'read' | 'cooldown' | 'colours' | 'claim' | 'enqueue' | 'publish';
export const STAGES: Stage[] = ['read', 'cooldown', 'colours', 'claim', 'enqueue', 'publish'];

export interface TickContext {
  matching: MatchingService;
  /** the same service with MATCH_MAX_PAIRS_PER_TICK=0 and MATCH_TICK_BUDGET_MS=0: a burst claimed in one tick */
  uncapped: MatchingService;
  /** the same service with MATCH_POOL_CACHE_MIN=0: every tick reads the whole pool */
  wholeReads: MatchingService;
  /** new services, their pools read whole at the next tick (after the tables were emptied behind their back) */
  forgetPools: () => void;
  /** milliseconds of each stage in the last tick (reset by `reset()`) */
  stages: Record<Stage, number>;
  /** milliseconds per statement inside the tick's transactions, the claim's and the colour read's (by name, or the text's first words) */
  claimStatements: Map<string, number>;
  reset: () => void;
  close: () => Promise<void>;
}

function time<T extends object>(target: T, method: keyof T, stage: Stage, stages: Record<Stage, number>): void {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  (target as Record<keyof T, unknown>)[method] = async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await original(...args);
    } finally {
      stages[stage] += performance.now() - started;
    }
  };
}

const label = (sql: SqlText) => (typeof sql === 'string' ? sql.trim().split(/\s+/).slice(0, 3).join(' ') : sql.name);

/** The transaction's statements, timed one by one. */
function timedTransactions(db: Database, sink: Map<string, number>): void {
  const transaction = db.transaction.bind(db);
  db.transaction = <T>(work: (tx: Sql) => Promise<T>) =>
    transaction((tx) => {
      const timed = Object.create(tx) as Sql;
      for (const method of ['rows', 'one', 'count'] as const) {
        const original = tx[method].bind(tx) as (sql: SqlText, params?: unknown[]) => Promise<unknown>;
        (timed as unknown as Record<string, unknown>)[method] = async (sql: SqlText, params?: unknown[]) => {
          const started = performance.now();
          try {
            return await original(sql, params);
          } finally {
            sink.set(label(sql), (sink.get(label(sql)) ?? 0) + performance.now() - started);
          }
        };
      }
      return work(timed);
    });
}

export async function openTickContext(env: Record<string, string>): Promise<TickContext> {
  const config = loadConfig({ ...env, ROLE: 'api' });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  const any = { strict: false };
  const stages = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const claimStatements = new Map<string, number>();
  const db = app.get(Database, any);
  timedTransactions(db, claimStatements);
  const pairing = new PairingRepository(db);
  const matches = app.get(MatchesRepository, any);
  const games = app.get(GameJobsRepository, any);
  const events = app.get(EntryEventsService, any);
  time(pairing, 'searching', 'read', stages);
  time(pairing, 'changedSince', 'read', stages);
  time(pairing, 'details', 'read', stages);
  time(pairing, 'recentPairs', 'cooldown', stages);
  time(pairing, 'claim', 'claim', stages);
  time(matches, 'colorHistory', 'colours', stages);
  time(games, 'enqueue', 'enqueue', stages);
  time(events, 'publish', 'publish', stages);
  // the worker module's providers are not in an api context: the (unused) team tick is built here
  const teamMatches = app.get(TeamMatchesRepository, any);
  const teamPairing = new TeamPairingRepository(db, teamMatches);
  time(teamPairing, 'waiting', 'read', stages);
  time(teamPairing, 'changedSince', 'read', stages);
  time(teamPairing, 'claim', 'claim', stages);
  time(teamMatches, 'recentOpponents', 'cooldown', stages);
  const service = (cfg: typeof config) => {
    const pools = new SearchingPools(pairing, teamPairing, cfg);
    const teams = new TeamMatchingService(
      teamPairing,
      pools,
      teamMatches,
      matches,
      games,
      events,
      app.get(PartyEventsService, any),
      cfg,
    );
    return new MatchingService(
      pairing,
      pools,
      matches,
      teams,
      app.get(PoolSchedulerService, any),
      games,
      events,
      app.get(MetricsService, any),
      app.get(LobbyService, any),
      cfg,
    );
  };
  const changed = (matching: Partial<typeof config.matching>) =>
    Object.assign(Object.create(config) as typeof config, { matching: { ...config.matching, ...matching } });
  const services = () => ({
    matching: service(config),
    uncapped: service(changed({ maxPairsPerTick: 0, tickBudgetMs: 0 })),
    wholeReads: service(changed({ poolCacheMin: 0 })),
  });
  const ctx: TickContext = {
    ...services(),
    stages,
    claimStatements,
    forgetPools: () => Object.assign(ctx, services()),
    reset: () => {
      STAGES.forEach((s) => (stages[s] = 0));
      claimStatements.clear();
    },
    close: () => app.close(),
  };
  return ctx;
}
