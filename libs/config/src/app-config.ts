import { DEFAULT_FORMAT, MAX_TEAM_SIZE, Mode, teamSize } from '@app/core';
import { ConfigError, validateEnvironment } from './environment';

export type Role = 'api' | 'worker' | 'all';

/** A development-only key, refused unless NODE_ENV=development. */
export const DEVELOPMENT_JWT_SECRET = 'matchmaking-development-secret-do-not-use';

/** The validated, typed configuration every module reads; built once per process. */
export class AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisKeyPrefix: string;
  jwt: { secret: string; issuer?: string; audience?: string };
  internalApiKey?: string;
  liveGame: { url: string; token?: string; timeoutMs: number; attempts: number; backoffMs: number };
  acceptWaitMs: number;
  role: Role;
  matchTickMs: number;
  matching: {
    windowInitial: number;
    windowStep: number;
    windowStepSeconds: number;
    windowMax: number;
    regionFallbackSeconds: number;
    rematchCooldownSeconds: number;
    /** Pairs one 1v1 tick claims at most (0: all); the longest waiters' pairs go first, the rest next tick. */
    maxPairsPerTick: number;
    /** A 1v1 tick claims no more pairs than fit in what is left of this (0: no such limit). */
    tickBudgetMs: number;
    /**
     * A 1v1 pool with at least this many waiting players (0: none) stays in the worker's memory between
     * ticks: a tick reads only the entries changed since the last read, and the whole pool every `poolCacheRefreshMs`.
     */
    poolCacheMin: number;
    poolCacheRefreshMs: number;
    /** How often a worker ticks the pools joins asked for, ahead of their shard's next run (0: never). */
    nudgeMs: number;
  };
  queueTimeoutSeconds: number;
  timeoutSweepMs: number;
  /** Failed matches a queue entry survives before it ends (game_creation_failed). */
  failedMatchLimit: number;
  /** A tick shard's Redis lock: a worker killed mid-tick holds the shard's pools no longer than this. */
  tickLockMs: number;
  /** How often each worker restores schedulers lost with Redis. */
  reconcileMs: number;
  /** Pool ticks one worker runs at once (over all the shards it is running). */
  tickConcurrency: number;
  /** MATCH_TICK_SHARDS: the pools are spread over this many tick schedulers, each ticking its pools in a loop. */
  tickShards: number;
  gameCreationConcurrency: number;
  challengeTtlSeconds: number;
  activeGameCheck: boolean;
  regions: string[] | null;
  variants: string[];
  /** FORMATS: the formats a queue body may name; always includes 1v1, the default of every body. */
  formats: string[];
  /** An idle party (OPEN, no ticket, no unfinished game) is disbanded after this. */
  partyTtlSeconds: number;
  rateLimitJoinsPerMinute: number;
  rateLimitChallengesPerMinute: number;
  maxPendingChallenges: number;
  sse: { maxStreamsPerUser: number; heartbeatMs: number; safetyPollMs: number };
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** When set, `/metrics` wants `Authorization: Bearer <token>`; unset, it is open (restrict it at the network). */
  metricsToken?: string;
  /** Length of a Glicko-2 rating period: each one a player sits out widens their deviation. */
  ratingPeriodDays: number;
  logLevel: string;
  /** SIGTERM: readiness is 503 for `delayMs` before the listener closes, then open event streams get `drainMs`. */
  shutdown: { delayMs: number; drainMs: number };
  defaultMode: Mode = 'rated';

  get runsApi(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }
}

const list = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** FORMATS: each `NvN` with 1 ≤ N ≤ 5, and 1v1 among them, since a body without `format` means 1v1. */
function formatsOf(value: string | undefined): string[] {
  const formats = [...new Set(list(value) ?? [DEFAULT_FORMAT, '2v2'])];
  const bad = formats.filter((f) => teamSize(f) === null);
  if (bad.length) {
    throw new ConfigError([`FORMATS=${JSON.stringify(value)}: ${bad.join(', ')} is not NvN with N 1-${MAX_TEAM_SIZE}`]);
  }
  if (!formats.includes(DEFAULT_FORMAT)) {
    throw new ConfigError([`FORMATS=${JSON.stringify(value)}: must include ${DEFAULT_FORMAT}, the default format`]);
  }
  return formats;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const e = validateEnvironment(env);
  const nodeEnv = e.NODE_ENV ?? 'production';
  const secret = e.JWT_SECRET ?? (nodeEnv === 'development' ? DEVELOPMENT_JWT_SECRET : undefined);
  if (!secret) throw new ConfigError(['JWT_SECRET: required unless NODE_ENV=development']);
  const windowInitial = e.RATING_WINDOW_INITIAL ?? 100;
  const windowMax = e.RATING_WINDOW_MAX ?? 500;
  if (windowMax < windowInitial) {
    throw new ConfigError([
      `RATING_WINDOW_MAX=${windowMax}: must be at least RATING_WINDOW_INITIAL (${windowInitial})`,
    ]);
  }

  const matchTickMs = e.MATCH_TICK_MS ?? 1000;
  const config = new AppConfig();
  Object.assign(config, {
    nodeEnv,
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    databaseUrl: e.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/matchmaking',
    databasePoolSize: e.DATABASE_POOL_SIZE ?? 20,
    redisUrl: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisKeyPrefix: e.REDIS_KEY_PREFIX ?? 'mm',
    jwt: { secret, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    internalApiKey: e.INTERNAL_API_KEY,
    liveGame: {
      url: (e.LIVE_GAME_API_URL ?? 'http://127.0.0.1:8002').replace(/\/+$/, ''),
      token: e.LIVE_GAME_API_TOKEN,
      timeoutMs: e.LIVE_GAME_API_TIMEOUT_MS ?? 5000,
      attempts: e.GAME_CREATE_ATTEMPTS ?? 5,
      backoffMs: e.GAME_CREATE_BACKOFF_MS ?? 1000,
    },
    acceptWaitMs: e.ACCEPT_WAIT_MS ?? 3000,
    role: (e.ROLE ?? 'all') as Role,
    matchTickMs,
    matching: {
      windowInitial,
      windowStep: e.RATING_WINDOW_STEP ?? 25,
      windowStepSeconds: e.RATING_WINDOW_STEP_SECONDS ?? 10,
      windowMax,
      regionFallbackSeconds: e.REGION_FALLBACK_SECONDS ?? 30,
      rematchCooldownSeconds: e.REMATCH_COOLDOWN_SECONDS ?? 60,
      maxPairsPerTick: e.MATCH_MAX_PAIRS_PER_TICK ?? 2000,
      tickBudgetMs: e.MATCH_TICK_BUDGET_MS ?? Math.round(0.8 * matchTickMs),
      poolCacheMin: e.MATCH_POOL_CACHE_MIN ?? 5000,
      poolCacheRefreshMs: e.MATCH_POOL_CACHE_REFRESH_MS ?? 30000,
      nudgeMs: e.MATCH_NUDGE_MS ?? 100,
    },
    queueTimeoutSeconds: e.QUEUE_TIMEOUT_SECONDS ?? 600,
    timeoutSweepMs: e.TIMEOUT_SWEEP_MS ?? 5000,
    failedMatchLimit: e.FAILED_MATCH_LIMIT ?? 3,
    tickLockMs: e.TICK_LOCK_MS ?? 2 * matchTickMs,
    reconcileMs: e.RECONCILE_MS ?? Math.min(5000, Math.max(1000, 10 * matchTickMs)),
    tickConcurrency: e.MATCH_TICK_CONCURRENCY ?? 4,
    tickShards: e.MATCH_TICK_SHARDS ?? 16,
    gameCreationConcurrency: e.GAME_CREATE_CONCURRENCY ?? 16,
    challengeTtlSeconds: e.CHALLENGE_TTL_SECONDS ?? 300,
    activeGameCheck: e.ACTIVE_GAME_CHECK ?? true,
    regions: list(e.REGIONS)?.map((r) => r.toUpperCase()) ?? null,
    variants: list(e.VARIANTS) ?? ['standard', 'chess960'],
    formats: formatsOf(e.FORMATS),
    partyTtlSeconds: e.PARTY_TTL_SECONDS ?? 1800,
    rateLimitJoinsPerMinute: e.RATE_LIMIT_JOINS_PER_MINUTE ?? 20,
    rateLimitChallengesPerMinute: e.RATE_LIMIT_CHALLENGES_PER_MINUTE ?? 20,
    maxPendingChallenges: e.MAX_PENDING_CHALLENGES ?? 20,
    sse: {
      maxStreamsPerUser: e.SSE_MAX_STREAMS_PER_USER ?? 5,
      heartbeatMs: e.SSE_HEARTBEAT_MS ?? 15_000,
      safetyPollMs: e.SSE_SAFETY_POLL_MS ?? 5_000,
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS ?? 10000,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS ?? 30000,
    },
    metricsToken: e.METRICS_TOKEN,
    ratingPeriodDays: e.RATING_PERIOD_DAYS ?? 7,
    shutdown: { delayMs: e.SHUTDOWN_DELAY_MS ?? 5000, drainMs: e.SHUTDOWN_DRAIN_MS ?? 20000 },
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
  });
  return config;
}
