import autocannon from 'autocannon';
import { NodeProcess, envInt, log, scratchStores } from '../support/harness';
import { checkTokenSigner } from '../support/tokens';
import { PgCpu, processCpuMs } from '../pg-cpu';
import { openLoop, OpenLoopRequest } from './open-loop';
import { ClosedRow, OpenRow, printHttp } from './report';
import { lobbyBeside } from './lobby.bench';
import { JWT_SECRET, startBaseline, startTargets, Targets } from './targets';

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
 * BENCH_ONLY (comma list of: closed-read, closed-join, open-read, open-join, closed-lobby), BENCH_ROUNDS (1:
 * the Nest ceiling and the service rows repeated, alternating, each share against its own round's ceiling),
 * BENCH_TARGET_ROUNDS (3: rounds of the two open rows SPEC §11 judges, reads at 1,000/s and joins at 400/s,
 * judged by their median), BENCH_BASELINE_MAIN (another build's main.js, measured beside this one),
 * BENCH_CEILING_NODE_ARGS (node flags for the Nest ceiling).
 */

type Route = 'read' | 'join';
type TargetName = 'raw' | 'nest' | 'baseline' | 'service';

/** The open-loop rate SPEC §11 sets a p99 target at, per route. */
const TARGET_RATE: Record<Route, number> = { read: 1000, join: 400 };

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
  const rounds = Math.max(1, envInt('BENCH_ROUNDS', 1));
  // one stall of the machine sets a 10 s row's p99 (single rounds of the same build spread 0.2–20× their
  // ceiling's), so the two rows SPEC §11 judges by it are repeated and judged by the median
  const targetRounds = Math.max(rounds, envInt('BENCH_TARGET_ROUNDS', 3));
  const roundsAt = (route: Route, rate: number) => (rate === TARGET_RATE[route] ? targetRounds : rounds);
  const roundNote = (round: number, of = rounds) => (of > 1 ? ` (round ${round}/${of})` : '');
  checkTokenSigner(JWT_SECRET);

  const scratch = await scratchStores('bench');
  // every join row uses fresh users; a generous estimate of them all, signed before measuring
  const tokens = Math.ceil(
    rounds * 3 * (durationS + warmupS) * 2_500 +
      joinRates.reduce((a, r) => a + roundsAt('join', r) * 2 * r * (durationS + warmupS), 0),
  );
  const t = await startTargets(scratch, envInt('BENCH_STATUS_ENTRIES', 2000), tokens);
  const cpu = new PgCpu(scratch.pg, scratch.databaseName);
  const procs: Partial<Record<TargetName, NodeProcess>> = { raw: t.raw, nest: t.nest, service: t.service };
  // BENCH_BASELINE_MAIN: another build of the service (e.g. main's) on the same database, measured in
  // every round between the Nest ceiling and this build, so a change is judged against both in one run
  if (process.env.BENCH_BASELINE_MAIN) procs.baseline = await startBaseline(scratch, process.env.BENCH_BASELINE_MAIN);
  const compared = (['nest', 'baseline', 'service'] as TargetName[]).filter((x) => procs[x]);

  const closed: ClosedRow[] = [];
  for (const route of ['read', 'join'] as Route[]) {
    if (!wanted(`closed-${route}`)) continue;
    for (let round = 1; round <= rounds; round++) {
      // the raw ceiling once; the Nest ceiling and the service alternate round by round
      for (const target of round === 1 ? (['raw', ...compared] as TargetName[]) : compared) {
        const opts = cannonOptions(t, route, procs[target]!.url, connections);
        if (warmupS > 0) {
          log(`  closed ${route} ${target}: warm-up ${warmupS} s`);
          await autocannon({ ...opts, duration: warmupS });
        }
        log(`  closed ${route} ${target}${roundNote(round)}: ${durationS} s`);
        const pid = procs[target]!.child.pid!;
        const [before, node0] = [await cpu.snapshot(), await processCpuMs(pid)];
        const r = await autocannon({ ...opts, duration: durationS });
        const pgMs = PgCpu.cpuMs(before, await cpu.snapshot());
        const nodeMs = (await processCpuMs(pid)) - node0;
        if (r.non2xx) explainNon2xx(procs[target]!, r);
        closed.push({
          route,
          target,
          round,
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
  }

  const open: OpenRow[] = [];
  for (const route of ['read', 'join'] as Route[]) {
    if (!wanted(`open-${route}`)) continue;
    for (const rate of route === 'read' ? readRates : joinRates) {
      for (let round = 1; round <= roundsAt(route, rate); round++) {
        for (const target of compared) {
          const url = procs[target]!.url;
          // a warm-up at the same rate: pools re-open connections closed while other targets ran
          if (warmupS > 0) await openLoop(url, rate, warmupS, requestOf(t, route));
          log(`  open ${route} ${target} at ${rate}/s${roundNote(round, roundsAt(route, rate))}: ${durationS} s`);
          const pid = procs[target]!.child.pid!;
          const [before, node0] = [await cpu.snapshot(), await processCpuMs(pid)];
          const r = await openLoop(url, rate, durationS, requestOf(t, route));
          const after = await cpu.snapshot();
          const pgMs = PgCpu.cpuMs(before, after);
          const nodeMs = (await processCpuMs(pid)) - node0;
          // a connection opened mid-row starts a backend, then prepares and plans its statements: a stall
          log(`    ${PgCpu.opened(before, after)} PostgreSQL connections opened during the row`);
          const perReq = (ms: number) => (r.sent ? ms / r.sent : NaN);
          open.push({ route, target, rate, round, ...r, pgMsPerReq: perReq(pgMs), nodeMsPerReq: perReq(nodeMs) });
        }
      }
    }
  }

  const [{ n }] = (await scratch.pg.query(`SELECT count(*)::int AS n FROM queue_entries`)).rows;
  log(`queue_entries rows after the run: ${n}`);
  printHttp(closed, open, {
    durationS,
    connections,
    pgCpu: cpu.available,
    rounds: Math.max(rounds, ...open.map((r) => r.round)),
  });
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

/** Which statuses, and what the process logged last (warn and up), when a closed row had non-2xx answers. */
function explainNon2xx(proc: NodeProcess, r: autocannon.Result): void {
  const codes = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, { count }]) => `${code} × ${count}`);
  log(`    non-2xx from ${proc.name}: ${codes.join(', ')}; its last output:\n${proc.output().slice(-1500)}`);
}
