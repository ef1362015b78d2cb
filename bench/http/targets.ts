import path from 'path';
import { DIST_ROOT, log, NodeProcess, REDIS_URL, Scratch, SERVICE_MAIN, startNode } from '../support/harness';
import { signToken } from '../support/tokens';
import { CEILING_DDL } from './ceilings/work';

/** The processes the HTTP bench measures side by side, and the requests they all answer alike. */

export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef';
export const INTERNAL_API_KEY = 'bench-internal-api-key-0123456789';
const TIME_CONTROLS = ['5+0', '3+2', '10+0', '1+0'];
const REGIONS: Array<string | undefined> = ['EU', 'NA', 'ASIA', 'SA', undefined];
const NEST_CEILING_MAIN = path.join(DIST_ROOT, 'bench/http/ceilings/nest.js');
const RAW_CEILING_MAIN = path.join(DIST_ROOT, 'bench/http/ceilings/raw.js');
/** Concurrent seeding joins: enough to be quick, few enough not to trip anything. */
const SEED_CONCURRENCY = 25;

export function joinBody(i: number): string {
  const region = REGIONS[i % REGIONS.length];
  const time_control = TIME_CONTROLS[i % TIME_CONTROLS.length];
  return JSON.stringify(region ? { time_control, region } : { time_control });
}

export function parseExtraEnv(raw: string | undefined): Record<string, string> {
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

/** The service's environment for a bench: joins unthrottled, entries never time out, warn-level logs. */
export function serviceEnv(scratch: Scratch, extra: Record<string, string> = {}): Record<string, string> {
  return {
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
    ...extra,
  };
}

/** Node flags from a space-separated env variable (`--cpu-prof --cpu-prof-dir=/tmp/prof`). */
const nodeArgs = (name: string): string[] => (process.env[name] ?? '').split(' ').filter(Boolean);

export interface Targets {
  service: NodeProcess;
  nest: NodeProcess;
  raw: NodeProcess;
  /** status-read paths with their owner's token */
  entries: Array<{ path: string; auth: string }>;
  /** a fresh user's token per call, across all targets and rows (the unique index must never hit) */
  nextJoinToken: () => { auth: string; body: string };
}

export async function startTargets(scratch: Scratch, statusEntries: number, tokens: number): Promise<Targets> {
  for (const ddl of CEILING_DDL) await scratch.pg.query(ddl);
  const env = serviceEnv(scratch);
  const ceilingEnv = {
    DATABASE_URL: scratch.databaseUrl,
    DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE ?? '20',
    REDIS_URL,
    REDIS_KEY_PREFIX: scratch.redisPrefix,
    JWT_SECRET,
  };
  log('starting the service (ROLE=api), the Nest ceiling and the node:http ceiling…');
  const [service, nest, raw] = await Promise.all([
    startNode('matchmaking', SERVICE_MAIN, env, {
      args: nodeArgs('BENCH_SERVICE_NODE_ARGS'),
    }),
    startNode(
      'ceiling-nest',
      NEST_CEILING_MAIN,
      { NODE_ENV: 'production', ...ceilingEnv },
      {
        args: nodeArgs('BENCH_CEILING_NODE_ARGS'),
      },
    ),
    startNode('ceiling-raw', RAW_CEILING_MAIN, { NODE_ENV: 'production', ...ceilingEnv }),
  ]);

  log(`creating ${statusEntries} queue entries for the status reads…`);
  const entries: Targets['entries'] = new Array(statusEntries);
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let i = next++; i < statusEntries; i = next++) {
        const auth = `Bearer ${signToken(JWT_SECRET, `status-${i}`)}`;
        const res = await fetch(`${service.url}/v1/matchmaking/queue`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: joinBody(i),
        });
        const body = (await res.json()) as { queue_entry_id?: string };
        if (res.status !== 201 || !body.queue_entry_id) {
          throw new Error(`seeding join → ${res.status} ${JSON.stringify(body)}`);
        }
        entries[i] = { path: `/v1/matchmaking/queue/${body.queue_entry_id}`, auth };
      }
    }),
  );

  // pre-signed so the load generator does no crypto while measuring; signed on the fly past the end
  const joinTokens: string[] = new Array(tokens);
  for (let i = 0; i < tokens; i++) joinTokens[i] = `Bearer ${signToken(JWT_SECRET, `join-${i}`)}`;
  log(`pre-signed ${tokens} join tokens`);
  let joins = 0;
  const nextJoinToken = () => {
    const i = joins++;
    return {
      auth: i < joinTokens.length ? joinTokens[i] : `Bearer ${signToken(JWT_SECRET, `join-${i}`)}`,
      body: joinBody(i),
    };
  };
  return { service, nest, raw, entries, nextJoinToken };
}

/**
 * Another build of the service (BENCH_BASELINE_MAIN, the path of its main.js, e.g. main's dist copied
 * aside) with the same environment and node flags, on the database the service seeded.
 */
export async function startBaseline(scratch: Scratch, main: string): Promise<NodeProcess> {
  log(`starting the baseline service ${main}…`);
  const args = nodeArgs(
    process.env.BENCH_BASELINE_NODE_ARGS !== undefined ? 'BENCH_BASELINE_NODE_ARGS' : 'BENCH_SERVICE_NODE_ARGS',
  );
  return startNode('baseline', main, serviceEnv(scratch), { args });
}
