import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : typeof value === 'string' && /^-?\d+$/.test(value)
      ? Number(value)
      : value;
const empty = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The process environment as SPEC §3 names it; every value is checked before anything starts. */
export class Environment {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional()
  @Transform(empty)
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(500) DATABASE_POOL_SIZE?: number;
  @IsOptional() @Transform(empty) @Matches(/^rediss?:\/\//, { message: 'must be a redis:// URL' }) REDIS_URL?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'must be 1-32 letters, digits, _ or -' })
  REDIS_KEY_PREFIX?: string;
  @IsOptional()
  @Transform(empty)
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  JWT_SECRET?: string;
  @IsOptional() @Transform(empty) @IsString() JWT_ISSUER?: string;
  @IsOptional() @Transform(empty) @IsString() JWT_AUDIENCE?: string;
  @IsOptional()
  @Transform(empty)
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  INTERNAL_API_KEY?: string;
  @IsOptional()
  @Transform(empty)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  LIVE_GAME_API_URL?: string;
  @IsOptional() @Transform(empty) @IsString() LIVE_GAME_API_TOKEN?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(600000) LIVE_GAME_API_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) GAME_CREATE_ATTEMPTS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600000) GAME_CREATE_BACKOFF_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60000) ACCEPT_WAIT_MS?: number;
  @IsOptional() @IsIn(['api', 'worker', 'all']) ROLE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(3600000) MATCH_TICK_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10000) RATING_WINDOW_INITIAL?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10000) RATING_WINDOW_STEP?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) RATING_WINDOW_STEP_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10000) RATING_WINDOW_MAX?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(86400) REGION_FALLBACK_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(86400) REMATCH_COOLDOWN_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000000) MATCH_MAX_PAIRS_PER_TICK?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(3600000) MATCH_TICK_BUDGET_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10000000) MATCH_POOL_CACHE_MIN?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60000) MATCH_NUDGE_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) MATCH_POOL_CACHE_REFRESH_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) QUEUE_TIMEOUT_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(3600000) TIMEOUT_SWEEP_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) FAILED_MATCH_LIMIT?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(3600000) TICK_LOCK_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(3600000) RECONCILE_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) MATCH_TICK_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1024) MATCH_TICK_SHARDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) GAME_CREATE_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(3600000) SSE_SAFETY_POLL_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400) CHALLENGE_TTL_SECONDS?: number;
  @IsOptional() @Transform(toBool) @IsBoolean() ACTIVE_GAME_CHECK?: boolean;
  @IsOptional()
  @Transform(empty)
  @Matches(/^\s*[A-Za-z0-9_-]{1,32}(\s*,\s*[A-Za-z0-9_-]{1,32})*\s*$/, {
    message: 'must be a comma list of region codes',
  })
  REGIONS?: string;
  @IsOptional()
  @Transform(empty)
  @Matches(/^\s*[a-z0-9-]{1,32}(\s*,\s*[a-z0-9-]{1,32})*\s*$/, {
    message: 'must be a comma list of lower-case variant names',
  })
  VARIANTS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) RATE_LIMIT_JOINS_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) RATE_LIMIT_CHALLENGES_PER_MINUTE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) MAX_PENDING_CHALLENGES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000) SSE_MAX_STREAMS_PER_USER?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) SSE_HEARTBEAT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(600000) HTTP_HEADERS_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) HTTP_REQUEST_TIMEOUT_MS?: number;
  @IsOptional()
  @Transform(empty)
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;
  @IsOptional()
  @Transform(empty)
  @Matches(/^\s*\d+v\d+(\s*,\s*\d+v\d+)*\s*$/, { message: 'must be a comma list of formats like 1v1,2v2' })
  FORMATS?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(604800) PARTY_TTL_SECONDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3650) RATING_PERIOD_DAYS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(600000) SHUTDOWN_DELAY_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(600000) SHUTDOWN_DRAIN_MS?: number;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Variables whose value is a credential: a config error names them but never prints the value. */
const SECRETS = new Set(['JWT_SECRET', 'INTERNAL_API_KEY', 'LIVE_GAME_API_TOKEN', 'METRICS_TOKEN']);
/** Variables that are URLs and may carry a password (`scheme://user:password@host`). */
const URLS = new Set(['DATABASE_URL', 'REDIS_URL', 'LIVE_GAME_API_URL']);

/** How a bad value is quoted in a config error: secrets by length only, URLs without their credentials. */
export function describeValue(name: string, raw: string | undefined): string {
  if (raw === undefined) return 'unset';
  if (SECRETS.has(name)) return `(a secret of ${raw.length} characters, not shown)`;
  if (URLS.has(name)) return JSON.stringify(raw.replace(/\/\/[^/@]*@/, '//[redacted]@'));
  return JSON.stringify(raw);
}

export function validateEnvironment(env: Record<string, string | undefined>): Environment {
  const parsed = plainToInstance(Environment, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, whitelist: false });
  const problems = errors.map(
    (e) =>
      `${e.property}=${describeValue(e.property, env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  if (problems.length) throw new ConfigError(problems);
  return parsed;
}
