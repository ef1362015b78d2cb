import path from 'path';
import autocannon from 'autocannon';
import { envInt, log, scratchStores, SERVICE_MAIN, startNode, DIST_ROOT, REDIS_URL } from '../support/harness';
import { checkTokenSigner, signToken } from '../support/tokens';
import { startLobbyRefresher } from './lobby-refresher';

/**
 * HTTP bench: the built service (ROLE=api, so joined entries stay SEARCHING) against a bare NestJS
 * hello-world, both child processes, measured with autocannon in the same run. Prints req/s, p50,
 * p99, non-2xx and the share of the matching baseline (hello GET for status and lobby reads, hello
 * POST for joins). The lobby (GET /v1/matchmaking/pools) is rewritten every second as ticks would.
 *
 * Env: BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_CONNECTIONS (50), BENCH_STATUS_ENTRIES (2000),
 * BENCH_DATABASE_POOL_SIZE (service default when unset), BENCH_SERVICE_ENV (extra "K=V,K=V" for the service),
 * BENCH_SERVICE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service),
 * BENCH_ONLY (comma list of: hello-get, status, pools, hello-post, join).
 */

const HELLO_MAIN = path.join(DIST_ROOT, 'bench/http/hello.js');
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';
const INTERNAL_API_KEY = 'bench-internal-api-key-0123456789';
const TIME_CONTROLS = ['5+0', '3+2', '10+0', '1+0'];
const REGIONS: Array<string | undefined> = ['EU', 'NA', 'ASIA', 'SA', undefined];

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** autocannon reports no p95; p97.5 ≥ p95 bounds it from above */
  p975: number;
  non2xx: number;
  errors: number;
  baseline?: string;
  share?: number;
}

function joinBody(i: number): string {
  const region = REGIONS[i % REGIONS.length];
  return JSON.stringify(
    region
      ? { time_control: TIME_CONTROLS[i % TIME_CONTROLS.length], region }
      : { time_control: TIME_CONTROLS[i % TIME_CONTROLS.length] },
  );
}

const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);
const SKIPPED: Row = { name: 'skipped', rps: NaN, p50: NaN, p99: NaN, p975: NaN, non2xx: 0, errors: 0 };

async function cannon(
  name: string,
  opts: autocannon.Options,
  durationS: number,
  warmupS: number,
  key = '',
): Promise<Row> {
  if (ONLY.length && !ONLY.includes(key)) return { ...SKIPPED, name: `${name} (skipped)` };
  if (warmupS > 0) {
    log(`  ${name}: warm-up ${warmupS} s`);
    await autocannon({ ...opts, duration: warmupS });
  }
  log(`  ${name}: ${durationS} s`);
  const r = await autocannon({ ...opts, duration: durationS });
  const total = r.requests.total;
  return {
    name,
    rps: total / (r.duration || durationS),
    p50: r.latency.p50,
    p99: r.latency.p99,
    p975: r.latency.p97_5,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

function parseExtraEnv(raw: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const part of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq > 0) env[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return env;
}

export async function runHttpBench(): Promise<Row[]> {
  const durationS = envInt('BENCH_DURATION_S', 10);
  const warmupS = envInt('BENCH_WARMUP_S', 2);
  const connections = envInt('BENCH_CONNECTIONS', 50);
  const statusEntries = envInt('BENCH_STATUS_ENTRIES', 2000);
  checkTokenSigner(JWT_SECRET);

  const scratch = await scratchStores('bench');
  const serviceEnv: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: scratch.databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: scratch.redisPrefix,
    JWT_SECRET,
    INTERNAL_API_KEY,
    LIVE_GAME_API_URL: 'http://127.0.0.1:9', // ROLE=api never calls it
    ROLE: 'api',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_JOINS_PER_MINUTE: '100000',
    ACTIVE_GAME_CHECK: 'false',
    QUEUE_TIMEOUT_SECONDS: '86400',
    ...(process.env.BENCH_DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_DATABASE_POOL_SIZE } : {}),
    ...parseExtraEnv(process.env.BENCH_SERVICE_ENV),
  };
  log('starting the service (ROLE=api) and the hello-world baseline…');
  const [service, hello] = await Promise.all([
    startNode('matchmaking', SERVICE_MAIN, serviceEnv, {
      args: (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
    }),
    startNode('hello', HELLO_MAIN, { NODE_ENV: 'production' }),
  ]);

  // status entries: one user each, created over HTTP like any client would
  log(`creating ${statusEntries} queue entries for the status-read bench…`);
  const entries: Array<{ path: string; auth: string }> = new Array(statusEntries);
  let next = 0;
  await Promise.all(
    Array.from({ length: 25 }, async () => {
      for (let i = next++; i < statusEntries; i = next++) {
        const auth = `Bearer ${signToken(JWT_SECRET, `status-${i}`)}`;
        const res = await fetch(`${service.url}/v1/matchmaking/queue`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: joinBody(i),
        });
        const body = (await res.json()) as { queue_entry_id?: string };
        if (res.status !== 201 || !body.queue_entry_id)
          throw new Error(`seeding join → ${res.status} ${JSON.stringify(body)}`);
        entries[i] = { path: `/v1/matchmaking/queue/${body.queue_entry_id}`, auth };
      }
    }),
  );

  // join tokens: a new user per request; pre-signed so the load generator does no crypto while measuring
  const needed = Math.max(20_000, Math.ceil((durationS + warmupS) * 8_000));
  const joinTokens: string[] = new Array(needed);
  for (let i = 0; i < needed; i++) joinTokens[i] = `Bearer ${signToken(JWT_SECRET, `join-${i}`)}`;
  log(`pre-signed ${needed} join tokens`);
  let joinCounter = 0;
  let statusCounter = 0;

  const base = { connections, pipelining: 1, timeout: 10 } satisfies Partial<autocannon.Options>;
  const echoBody = joinBody(0);
  const rows: Row[] = [];

  rows.push(await cannon('hello GET /hello', { ...base, url: `${hello.url}/hello` }, durationS, warmupS, 'hello-get'));
  const status = await cannon(
    'GET /v1/matchmaking/queue/{id}',
    {
      ...base,
      url: service.url,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const e = entries[statusCounter++ % entries.length];
            return { ...req, path: e.path, headers: { authorization: e.auth } };
          },
        },
      ],
    },
    durationS,
    warmupS,
    'status',
  );
  rows.push({ ...status, baseline: 'hello GET', share: status.rps / rows[0].rps });

  const lobby = await startLobbyRefresher(REDIS_URL, scratch.redisPrefix, 'default');
  const lobbyAuth = `Bearer ${signToken(JWT_SECRET, 'lobby-viewer')}`;
  const pools = await cannon(
    `GET /v1/matchmaking/pools (${lobby.pools} pools)`,
    { ...base, url: `${service.url}/v1/matchmaking/pools`, headers: { authorization: lobbyAuth } },
    durationS,
    warmupS,
    'pools',
  );
  await lobby.stop();
  rows.push({ ...pools, baseline: 'hello GET', share: pools.rps / rows[0].rps });

  const echo = await cannon(
    'hello POST /echo',
    {
      ...base,
      url: `${hello.url}/echo`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: echoBody,
    },
    durationS,
    warmupS,
    'hello-post',
  );
  rows.push(echo);
  const join = await cannon(
    'POST /v1/matchmaking/queue (new user each)',
    {
      ...base,
      url: service.url,
      requests: [
        {
          method: 'POST',
          path: '/v1/matchmaking/queue',
          setupRequest: (req) => {
            const i = joinCounter++;
            const auth = i < joinTokens.length ? joinTokens[i] : `Bearer ${signToken(JWT_SECRET, `join-${i}`)}`;
            return { ...req, headers: { authorization: auth, 'content-type': 'application/json' }, body: joinBody(i) };
          },
        },
      ],
    },
    durationS,
    warmupS,
    'join',
  );
  rows.push({ ...join, baseline: 'hello POST', share: join.rps / echo.rps });

  const [{ n }] = (await scratch.pg.query(`SELECT count(*)::int AS n FROM queue_entries`)).rows;
  log(`queue_entries rows after the run: ${n} (expected ${statusEntries} + accepted joins)`);

  printTable(rows, { durationS, connections });
  printVerdict(status, join);
  return rows;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function printTable(rows: Row[], ctx: { durationS: number; connections: number }): void {
  console.log(`\n# HTTP (autocannon, ${ctx.connections} connections, ${ctx.durationS} s each, after warm-up)\n`);
  console.log('| route | req/s | p50 ms | p99 ms | non-2xx | errors | share of baseline |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const share =
      r.share === undefined
        ? Number.isNaN(r.rps)
          ? ''
          : '(baseline)'
        : Number.isNaN(r.share)
          ? `n/a (${r.baseline} skipped)`
          : `${fmt(r.share * 100, 1)} % of ${r.baseline}`;
    console.log(
      `| ${r.name} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.non2xx)} | ${fmt(r.errors)} | ${share} |`,
    );
  }
}

function printVerdict(status: Row, join: Row): void {
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  if (Number.isNaN(status.rps) || Number.isNaN(join.rps)) return;
  console.log('\nSPEC §11 targets on this machine (2 cores, load generator on the same cores):');
  console.log(
    `- POST /queue ≥ 1,500 joins/s with p99 < 50 ms: ${ok(join.rps >= 1500 && join.p99 < 50 && join.non2xx === 0)} ` +
      `(${fmt(join.rps)} req/s, p99 ${fmt(join.p99)} ms, ${fmt(join.non2xx)} non-2xx)`,
  );
  console.log(
    `- GET /queue/{id} ≥ 4,000 req/s with p95 < 50 ms (SPEC; p97.5 used as its upper bound): ${ok(status.rps >= 4000 && status.p975 < 50 && status.non2xx === 0)} ` +
      `(${fmt(status.rps)} req/s, p97.5 ${fmt(status.p975)} ms, p99 ${fmt(status.p99)} ms, ${fmt(status.non2xx)} non-2xx)`,
  );
}
