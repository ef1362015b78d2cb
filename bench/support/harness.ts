import { ChildProcess, spawn } from 'child_process';
import net from 'net';
import path from 'path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { migrate } from '../../libs/persistence/src/migrate';

/**
 * What `npm run bench` (HTTP part) and `npm run simulate` share: child processes started from dist/,
 * a throw-away database and Redis key prefix, and clean-up that also runs on failure and Ctrl-C.
 */

export const DIST_ROOT = path.join(__dirname, '..', '..');
export const SERVICE_MAIN = path.join(DIST_ROOT, 'apps/matchmaking/src/main.js');
export const STUB_MAIN = path.join(DIST_ROOT, 'apps/live-game-stub/src/main.js');

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${JSON.stringify(raw)}: expected a non-negative number`);
  return n;
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export { sleep };

// ---------------------------------------------------------------------------------------------
// clean-up registry

type Cleanup = { name: string; run: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();
let cleaning: Promise<void> | null = null;

/** A child the process kills (SIGKILL) if it exits without cleaning up. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.on('exit', () => children.delete(child));
}

export function onCleanup(name: string, run: () => Promise<void> | void): void {
  cleanups.push({ name, run });
}

/** Runs the registered clean-ups in reverse order (children first), once. */
export function cleanup(): Promise<void> {
  if (!cleaning) {
    cleaning = (async () => {
      for (const c of cleanups.reverse()) {
        try {
          await c.run();
        } catch (error) {
          log(`clean-up "${c.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
  }
  return cleaning;
}

/** Runs work, then only the clean-ups it registered (its children, databases, keys), newest first. */
export async function scoped<T>(work: () => Promise<T>): Promise<T> {
  const mark = cleanups.length;
  try {
    return await work();
  } finally {
    for (const c of cleanups.splice(mark).reverse()) {
      try {
        await c.run();
      } catch (error) {
        log(`clean-up "${c.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

let signalsInstalled = false;
/** Ctrl-C / SIGTERM: clean up, then exit 130/143. A hard exit still kills the children. */
export function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      log(`\n${signal}: cleaning up…`);
      const force = setTimeout(() => process.exit(code), 15_000);
      force.unref();
      void cleanup().finally(() => process.exit(code));
    });
  }
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

/** Runs main, always cleans up, sets the exit code. */
export function runMain(main: () => Promise<number | void>): void {
  installSignalHandlers();
  main()
    .then(async (code) => {
      await cleanup();
      process.exit(typeof code === 'number' ? code : 0);
    })
    .catch(async (error) => {
      log(`\nfailed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
      await cleanup();
      process.exit(1);
    });
}

// ---------------------------------------------------------------------------------------------
// child processes

export interface NodeProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Spawns `node script` with env (+PORT) and waits until `readyPath` answers 200. */
export async function startNode(
  name: string,
  script: string,
  env: Record<string, string>,
  options: { portVar?: string; readyPath?: string; timeoutMs?: number; args?: string[] } = {},
): Promise<NodeProcess> {
  const { portVar = 'PORT', readyPath = '/health/ready', timeoutMs = 60_000, args = [] } = options;
  const port = await freePort();
  const child = spawn(process.execPath, [...args, script], {
    env: { PATH: process.env.PATH ?? '', ...env, [portVar]: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    await exited;
    clearTimeout(timer);
    children.delete(child);
  };
  onCleanup(`stop ${name}`, stop);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${name} exited early (code ${child.exitCode}, signal ${child.signalCode}):\n${output.slice(-3000)}`,
      );
    }
    const ok = await fetch(url + readyPath).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${name} not ready within ${timeoutMs} ms:\n${output.slice(-3000)}`);
    await sleep(150);
  }
  return { name, url, port, child, output: () => output, stop };
}

// ---------------------------------------------------------------------------------------------
// database and redis

export interface Scratch {
  databaseUrl: string;
  databaseName: string;
  redisPrefix: string;
  pg: Client;
}

/** A fresh database (created and migrated) and a Redis key prefix of our own; both removed at clean-up. */
export async function scratchStores(kind: string): Promise<Scratch> {
  const stamp = `${Date.now()}_${process.pid}`;
  const databaseName = `mm_${kind}_${stamp}`;
  const admin = new URL(PG_ADMIN_URL);
  const target = new URL(PG_ADMIN_URL);
  target.pathname = `/${databaseName}`;
  const databaseUrl = target.toString();
  const redisPrefix = `mm${kind}${stamp}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);

  onCleanup(`drop database ${databaseName}`, async () => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      log(`dropped database ${databaseName}`);
    } finally {
      await client.end();
    }
  });
  onCleanup(`delete redis keys ${redisPrefix}`, () => deleteRedisKeys(redisPrefix));

  await migrate(databaseUrl, () => undefined);
  log(`database ${databaseName} created and migrated; redis prefix ${redisPrefix}`);
  const pg = new Client({ connectionString: databaseUrl });
  // a dropped connection must fail the next query with a message, not crash the run with an unhandled event
  pg.on('error', (error) => log(`report connection to ${databaseName}: ${error.message}`));
  await pg.connect();
  onCleanup('close pg client', () => pg.end());
  return { databaseUrl, databaseName, redisPrefix, pg };
}

async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let deleted = 0;
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await redis.del(...keys);
      } while (cursor !== '0');
    }
    log(`deleted ${deleted} redis keys with prefix ${prefix}`);
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// small statistics helpers

export function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function sortedNumbers(xs: number[]): number[] {
  return xs.slice().sort((a, b) => a - b);
}
