import autocannon from 'autocannon';
import { NodeProcess, envInt, log, scratchStores } from '../support/harness';
import { checkTokenSigner } from '../support/tokens';
import { PgCpu, processCpuMs } from '../pg-cpu';
import { openLoop, OpenLoopRequest } from './open-loop';
import { ClosedRow, OpenRow, printHttp } from './report';
import { lobbyBeside } from './lobby.bench';
import { JWT_SECRET, startTargets, Targets } from './targets';

/**
 * HTTP bench (SPEC §11): the built service (ROLE=api, so joined entries stay SEARCHING) against its
 * two ceilings — a bare Nest (Express) app and a raw node:http server doing only the routes' real work
 * (./ceilings) — all child processes of this run, on one scratch database.
 *
 * - closed loop (autocannon, BENCH_CONNECTIONS): req/s, p50, p99, share of the Nest ceiling;
 * - open loop (Poisson arrivals at fixed rates, latency from the scheduled send time): p50/p99/p99.9;
 * - PostgreSQL CPU per request of every row, from /proc of the database's backends.
 *
 * Env: BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_CONNECTIONS (50), BENCH_STATUS_ENTRIES (2000),
 * BENCH_READ_RATES (500,1000,2000), BENCH_JOIN_RATES (300,400,600,1000), BENCH_DATABASE_POOL_SIZE,
 * BENCH_SERVICE_ENV ("K=V,K=V"), BENCH_SERVICE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * BENCH_ONLY (comma list of: closed-read, closed-join, open-read, open-join, closed-lobby).
 */

type Route = 'read' | 'join';
type TargetName = 'raw' | 'nest' | 'service';

const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);
const wanted = (key: string) => !ONLY.length || ONLY.includes(key);

function rates(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw.split(',').map((x) => {
    const n = Number(x);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: "${x}" is not a positive rate`);
    return n;
  });
}

export async function runHttpBench(): Promise<void> {
  const durationS = envInt('BENCH_DURATION_S', 10);
  const warmupS = envInt('BENCH_WARMUP_S', 2);
  const connections = envInt('BENCH_CONNECTIONS', 50);
  const readRates = rates('BENCH_READ_RATES', [500, 1000, 2000]);
  const joinRates = rates('BENCH_JOIN_RATES', [300, 400, 600, 1000]);
  checkTokenSigner(JWT_SECRET);

  const scratch = await scratchStores('bench');
  // every join row uses fresh users; a generous estimate of them all, signed before measuring
  const tokens = Math.ceil(
    3 * (durationS + warmupS) * 2_500 + joinRates.reduce((a, r) => a + 2 * r * (durationS + warmupS), 0),
  );
  const t = await startTargets(scratch, envInt('BENCH_STATUS_ENTRIES', 2000), tokens);
  const cpu = new PgCpu(scratch.pg, scratch.databaseName);
  const procs: Record<TargetName, NodeProcess> = { raw: t.raw, nest: t.nest, service: t.service };

  const closed: ClosedRow[] = [];
  for (const route of ['read', 'join'] as Route[]) {
    if (!wanted(`closed-${route}`)) continue;
    for (const target of ['raw', 'nest', 'service'] as TargetName[]) {
      const opts = cannonOptions(t, route, procs[target].url, connections);
      if (warmupS > 0) {
        log(`  closed ${route} ${target}: warm-up ${warmupS} s`);
        await autocannon({ ...opts, duration: warmupS });
      }
      log(`  closed ${route} ${target}: ${durationS} s`);
      const pid = procs[target].child.pid!;
      const [before, node0] = [await cpu.snapshot(), await processCpuMs(pid)];
      const r = await autocannon({ ...opts, duration: durationS });
      const pgMs = PgCpu.cpuMs(before, await cpu.snapshot());
      const nodeMs = (await processCpuMs(pid)) - node0;
      closed.push({
        route,
        target,
        rps: r.requests.total / (r.duration || durationS),
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        pgMsPerReq: r.requests.total ? pgMs / r.requests.total : NaN,
        nodeMsPerReq: r.requests.total ? nodeMs / r.requests.total : NaN,
      });
    }
  }

  const open: OpenRow[] = [];
  for (const route of ['read', 'join'] as Route[]) {
    if (!wanted(`open-${route}`)) continue;
    for (const rate of route === 'read' ? readRates : joinRates) {
      for (const target of ['nest', 'service'] as TargetName[]) {
        // a warm-up at the same rate: pools re-open connections closed while other targets ran
        if (warmupS > 0) await openLoop(procs[target].url, rate, warmupS, requestOf(t, route));
        log(`  open ${route} ${target} at ${rate}/s: ${durationS} s`);
        const pid = procs[target].child.pid!;
        const [before, node0] = [await cpu.snapshot(), await processCpuMs(pid)];
        const r = await openLoop(procs[target].url, rate, durationS, requestOf(t, route));
        const pgMs = PgCpu.cpuMs(before, await cpu.snapshot());
        const nodeMs = (await processCpuMs(pid)) - node0;
        const perReq = (ms: number) => (r.sent ? ms / r.sent : NaN);
        open.push({ route, target, rate, ...r, pgMsPerReq: perReq(pgMs), nodeMsPerReq: perReq(nodeMs) });
      }
    }
  }

  const [{ n }] = (await scratch.pg.query(`SELECT count(*)::int AS n FROM queue_entries`)).rows;
  log(`queue_entries rows after the run: ${n}`);
  printHttp(closed, open, { durationS, connections, pgCpu: cpu.available });
  if (wanted('closed-lobby')) {
    const statusRps = closed.find((r) => r.route === 'read' && r.target === 'service')?.rps;
    await lobbyBeside(t.service.url, scratch, statusRps, { connections, durationS, warmupS });
  }
}

function requestOf(t: Targets, route: Route): () => OpenLoopRequest {
  let i = 0;
  if (route === 'read') {
    return () => {
      const e = t.entries[i++ % t.entries.length];
      return { method: 'GET', path: e.path, headers: { authorization: e.auth } };
    };
  }
  return () => {
    const j = t.nextJoinToken();
    return { method: 'POST', path: '/v1/matchmaking/queue', headers: { authorization: j.auth }, body: j.body };
  };
}

function cannonOptions(t: Targets, route: Route, url: string, connections: number): autocannon.Options {
  const base = { url, connections, pipelining: 1, timeout: 10 };
  if (route === 'read') {
    let i = 0;
    return {
      ...base,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const e = t.entries[i++ % t.entries.length];
            return { ...req, path: e.path, headers: { authorization: e.auth } };
          },
        },
      ],
    };
  }
  return {
    ...base,
    requests: [
      {
        method: 'POST',
        path: '/v1/matchmaking/queue',
        setupRequest: (req) => {
          const j = t.nextJoinToken();
          return { ...req, headers: { authorization: j.auth, 'content-type': 'application/json' }, body: j.body };
        },
      },
    ],
  };
}
