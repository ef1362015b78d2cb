/** Settings of the fake live-game API: the type, defaults, and parsing/validation of environment variables. */

/** `white`/`black` end a 1v1 game, `a`/`b` a team game; the poster translates one kind to the other (resultFor). */
export const GAME_RESULTS = ['white', 'black', 'draw', 'a', 'b'] as const;
export type GameResult = (typeof GAME_RESULTS)[number];

export const DOWN_MODES = ['status', 'reset'] as const;
/** 'status': answer 503; 'reset': destroy the connection without answering. */
export type DownMode = (typeof DOWN_MODES)[number];

export interface FailNext {
  /** How many of the next `/v1/games` requests fail (0 = none). */
  count: number;
  /** The HTTP status they fail with. */
  status: number;
}

export interface StubSettings {
  port: number;
  host: string;
  /** Milliseconds added before answering each `/v1/games` request. */
  latencyMs: number;
  /** Fraction (0..1) of `/v1/games` requests answered with `failureStatus` instead of creating. */
  failureRate: number;
  failureStatus: number;
  /** When true every `/v1/games` request gets 503 (or a reset connection with downMode 'reset'). */
  down: boolean;
  downMode: DownMode;
  failNext: FailNext;
  /** Delay after creation before the result is posted back; 0 = games never finish. */
  finishAfterMs: number;
  /** Base URL of the matchmaking service that receives results, e.g. http://127.0.0.1:3000. */
  resultUrl: string | null;
  resultApiKey: string | null;
  /** When set every finished game gets this result instead of a random one. */
  fixedResult: GameResult | null;
  resultMaxAttempts: number;
  resultRetryBaseMs: number;
  /** When set, `/v1/games` requires `Authorization: Bearer <requiredToken>`. */
  requiredToken: string | null;
  /** One JSON line per request on stdout. */
  log: boolean;
}

export const DEFAULT_STUB_SETTINGS: Readonly<StubSettings> = Object.freeze({
  port: 8002,
  host: '0.0.0.0',
  latencyMs: 0,
  failureRate: 0,
  failureStatus: 503,
  down: false,
  downMode: 'status',
  failNext: Object.freeze({ count: 0, status: 500 }),
  finishAfterMs: 0,
  resultUrl: null,
  resultApiKey: null,
  fixedResult: null,
  resultMaxAttempts: 5,
  resultRetryBaseMs: 200,
  requiredToken: null,
  log: false,
});

export class StubConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'StubConfigError';
  }
}

type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new StubConfigError(name, `expected an integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new StubConfigError(name, `expected ${min}..${max}, got ${n}`);
  return n;
}

function fraction(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new StubConfigError(name, `expected a number in 0..1, got "${value}"`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new StubConfigError(name, `expected true or false, got "${value}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T | null): T | null {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new StubConfigError(name, `expected one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** Returns an error message when `url` is not an absolute http(s) URL. */
export function checkHttpUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? null : 'expected an http:// or https:// URL';
  } catch {
    return `expected an absolute URL, got "${url}"`;
  }
}

/** Reads STUB_* (and HOST) variables; throws StubConfigError naming the first bad variable. */
export function loadStubSettings(env: Env = process.env): StubSettings {
  const resultUrl = raw(env, 'STUB_RESULT_URL') ?? null;
  if (resultUrl !== null) {
    const problem = checkHttpUrl(resultUrl);
    if (problem) throw new StubConfigError('STUB_RESULT_URL', problem);
  }
  const d = DEFAULT_STUB_SETTINGS;
  return {
    port: int(env, 'STUB_PORT', d.port, 0, 65535),
    host: raw(env, 'HOST') ?? d.host,
    latencyMs: int(env, 'STUB_LATENCY_MS', d.latencyMs, 0, 600_000),
    failureRate: fraction(env, 'STUB_FAILURE_RATE', d.failureRate),
    failureStatus: int(env, 'STUB_FAILURE_STATUS', d.failureStatus, 400, 599),
    down: bool(env, 'STUB_DOWN', d.down),
    downMode: oneOf(env, 'STUB_DOWN_MODE', DOWN_MODES, d.downMode) ?? d.downMode,
    failNext: { ...d.failNext },
    finishAfterMs: int(env, 'STUB_FINISH_AFTER_MS', d.finishAfterMs, 0, 86_400_000),
    resultUrl,
    resultApiKey: raw(env, 'STUB_RESULT_API_KEY') ?? null,
    fixedResult: oneOf(env, 'STUB_FIXED_RESULT', GAME_RESULTS, null),
    resultMaxAttempts: int(env, 'STUB_RESULT_MAX_ATTEMPTS', d.resultMaxAttempts, 1, 100),
    resultRetryBaseMs: int(env, 'STUB_RESULT_RETRY_BASE_MS', d.resultRetryBaseMs, 0, 600_000),
    requiredToken: raw(env, 'STUB_REQUIRED_TOKEN') ?? null,
    log: bool(env, 'STUB_LOG', d.log),
  };
}

/** Checks settings built in code (createStubApp overrides); throws StubConfigError naming the bad field. */
export function assertValidSettings(s: StubSettings): void {
  const check = (ok: boolean, field: string, message: string) => {
    if (!ok) throw new StubConfigError(field, message);
  };
  const isInt = (n: unknown, min: number, max: number) =>
    Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
  check(isInt(s.port, 0, 65535), 'port', 'expected an integer 0..65535');
  check(typeof s.host === 'string' && s.host !== '', 'host', 'expected a non-empty string');
  check(isInt(s.latencyMs, 0, 600_000), 'latencyMs', 'expected an integer >= 0');
  check(typeof s.failureRate === 'number' && s.failureRate >= 0 && s.failureRate <= 1, 'failureRate', 'expected 0..1');
  check(isInt(s.failureStatus, 400, 599), 'failureStatus', 'expected an integer 400..599');
  check(typeof s.down === 'boolean', 'down', 'expected a boolean');
  check((DOWN_MODES as readonly string[]).includes(s.downMode), 'downMode', `expected one of ${DOWN_MODES.join(', ')}`);
  check(!!s.failNext && isInt(s.failNext.count, 0, 1_000_000), 'failNext.count', 'expected an integer >= 0');
  check(!!s.failNext && isInt(s.failNext.status, 400, 599), 'failNext.status', 'expected an integer 400..599');
  check(isInt(s.finishAfterMs, 0, 86_400_000), 'finishAfterMs', 'expected an integer >= 0');
  check(
    s.resultUrl === null || (typeof s.resultUrl === 'string' && checkHttpUrl(s.resultUrl) === null),
    'resultUrl',
    'expected an http(s) URL or null',
  );
  check(s.resultApiKey === null || typeof s.resultApiKey === 'string', 'resultApiKey', 'expected a string or null');
  check(
    s.fixedResult === null || (GAME_RESULTS as readonly string[]).includes(s.fixedResult),
    'fixedResult',
    `expected one of ${GAME_RESULTS.join(', ')} or null`,
  );
  check(isInt(s.resultMaxAttempts, 1, 100), 'resultMaxAttempts', 'expected an integer 1..100');
  check(isInt(s.resultRetryBaseMs, 0, 600_000), 'resultRetryBaseMs', 'expected an integer >= 0');
  check(s.requiredToken === null || typeof s.requiredToken === 'string', 'requiredToken', 'expected a string or null');
  check(typeof s.log === 'boolean', 'log', 'expected a boolean');
}

/** The JSON shape of the behaviour settings, as shown by `GET /control`. */
export interface ControlView {
  latency_ms: number;
  failure_rate: number;
  failure_status: number;
  down: boolean;
  down_mode: DownMode;
  fail_next: FailNext;
  finish_after_ms: number;
  result_url: string | null;
  result_api_key: string | null;
  fixed_result: GameResult | null;
  result_max_attempts: number;
  result_retry_base_ms: number;
  required_token: string | null;
  log: boolean;
}

export function toControlView(s: StubSettings): ControlView {
  return {
    latency_ms: s.latencyMs,
    failure_rate: s.failureRate,
    failure_status: s.failureStatus,
    down: s.down,
    down_mode: s.downMode,
    fail_next: { ...s.failNext },
    finish_after_ms: s.finishAfterMs,
    result_url: s.resultUrl,
    result_api_key: s.resultApiKey,
    fixed_result: s.fixedResult,
    result_max_attempts: s.resultMaxAttempts,
    result_retry_base_ms: s.resultRetryBaseMs,
    required_token: s.requiredToken,
    log: s.log,
  };
}
