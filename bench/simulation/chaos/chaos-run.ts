import { seededRandom } from '@app/core/testing';
import { envInt, log, scratchStores, SERVICE_MAIN, sleep, startNode, STUB_MAIN } from '../../support/harness';
import { checkTokenSigner } from '../../support/tokens';
import { newCounters, Observed, SimClient } from '../client';
import { queryOn } from '../identity';
import { startLoad } from '../players';
import { buildRoster, importRatings } from '../roster';
import { INTERNAL_API_KEY, JWT_SECRET, readSettings, SIM_TICK_MS } from '../settings';
import { progressLine, stubControl, varyGameLengths } from '../stub-control';
import { printChaosReport, writeChaosReport } from './chaos-report';
import { runFaults, Topology } from './faults';
import { checkInvariants, StubGame } from './invariants';
import { PgProxyProcess } from './pg-proxy';
import { startProbes } from './probe';
import { freePorts, RestartableProcess } from './processes';
import { describeFault, planFaults } from './schedule';

/** Short enough that a timed-out live-game call is retried several times within one stub fault. */
const LIVE_GAME_TIMEOUT_MS = 2000;
const GAME_CREATE_ATTEMPTS = 5;
const GAME_CREATE_BACKOFF_MS = 200;
/** The sweep re-enqueues a PENDING match after max(10 s, 2 × timeout) (maintenance/sweep.processor.ts). */
const SWEEP_GRACE_S = Math.max(10, (2 * LIVE_GAME_TIMEOUT_MS) / 1000);
/** A job held by a killed worker is retaken after its lock (15 s) and one stalled check (5 s) (game-creation.processor.ts). */
const STALLED_TAKEOVER_S = 20;
/** One game-creation job at worst: every attempt times out, with the doubling backoff in between. */
const JOB_BUDGET_S =
  (GAME_CREATE_ATTEMPTS * LIVE_GAME_TIMEOUT_MS + GAME_CREATE_BACKOFF_MS * (2 ** (GAME_CREATE_ATTEMPTS - 1) - 1)) / 1000;
const TIMEOUT_SWEEP_MS = 1000;
/**
 * Once the faults stop, a match settles within this: the sweep's grace and interval, a killed worker's job
 * retaken, then one job's every attempt (the attempts are counted per match, so a new job does not add more).
 */
const PENDING_MAX_AGE_S = Math.ceil(SWEEP_GRACE_S + TIMEOUT_SWEEP_MS / 1000 + STALLED_TAKEOVER_S + JOB_BUDGET_S);
/** Pools reconnecting and the first ticks after an outage: 503s this soon after a repair are still honest. */
const RECOVERY_GRACE_MS = 5000;
/** Results the stub could not post while the api was down are retried (doubling from 250 ms, ~1 min in all). */
/** Load after the last repair, before arrivals stop: the service must be seen working again. */
const AFTER_LAST_FAULT_MS = 5000;
/** The load waits for the faults to end, but never longer than this past its planned duration. */
const LOAD_OVERRUN_CAP_MS = 5 * 60_000;
const RESULT_POST = { result_max_attempts: 8, result_retry_base_ms: 250 };

/**
 * `npm run simulate -- --chaos`: one api and two worker processes, the stub, players arriving and
 * re-queueing for SIM_DURATION_S (180) seconds under a seeded fault schedule; then SIM_CHAOS_QUIET_S
 * (30) seconds without faults or new joins, and the invariants. Returns 1 on any violation.
 */
export async function runChaosSoak(): Promise<number> {
  // a load the shared 2-core machine carries next to four service processes: the soak tests recovery, not capacity
  const s = readSettings({ players: 80, durationS: 180, thinkS: 5, maxInFlight: 16 });
  s.arrivalRate = envInt('SIM_ARRIVAL_RATE', s.players / Math.min(20, Math.max(1, s.durationS / 4)));
  const quietS = envInt('SIM_CHAOS_QUIET_S', 30);
  const random = seededRandom(s.seed);
  checkTokenSigner(JWT_SECRET);
  const plan = planFaults(s.seed, s.durationS * 1000);
  console.log(`# Chaos soak, seed ${s.seed}: ${s.durationS} s of load and faults, then ${quietS} s quiet\n`);
  console.log(`fault schedule (${plan.length} faults):\n${plan.map((f) => `  ${describeFault(f)}`).join('\n')}\n`);

  const topo = await startTopology(s.seed);
  const { api } = topo;
  await stubControl(topo.stubUrl, { result_url: api.url, result_api_key: INTERNAL_API_KEY, ...RESULT_POST });
  const roster = buildRoster(random, s.players, 'chaos', Number(process.env.SIM_TEAM_SHARE ?? 0.5));
  await importRatings(api.url, roster);

  const serverErrors: Observed[] = [];
  let unknownJoins = 0;
  const c = newCounters();
  const client = new SimClient(api.url, c, s.maxInFlight, (o) => {
    if (o.status >= 500) serverErrors.push(o);
    if (o.method === 'POST' && o.path === '/v1/matchmaking/queue' && (o.status === 0 || o.status >= 500))
      unknownJoins++;
  });
  const t0 = Date.now();
  const { load, done } = startLoad(client, roster, random, s, t0 + s.durationS * 1000 + LOAD_OVERRUN_CAP_MS);
  // the load lasts until the last fault is repaired, so the service is seen recovering under load
  const faults = runFaults(plan, topo, t0, s.durationS * 1000).then((records) => {
    load.endAt = Math.max(t0 + s.durationS * 1000, Date.now() + AFTER_LAST_FAULT_MS);
    return records;
  });
  const games = varyGameLengths(topo.stubUrl, random, s.gameMinMs, s.gameMaxMs, () => load.endAt + quietS * 1000);
  const stopProgress = progressLine(
    () =>
      `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}/${s.durationS} s  joins ${c.accepted}  matched ${c.matchedSeen}  ` +
      `waiting ${c.waiting}  in game ${c.inGame}  5xx ${serverErrors.length}  no answer ${c.httpErrors}`,
  );
  const probes = startProbes(topo.pgProxy.url(topo.databaseUrl), topo.redis.port);
  const [records] = await Promise.all([faults, done]);
  stopProgress();
  // long enough that every match created before the last repair has had the sweep's whole bound to settle
  const lastRepairAt = Math.max(t0, ...records.map((r) => r.repairedAt ?? Date.now()));
  const quietMs = Math.max(quietS * 1000, lastRepairAt + (PENDING_MAX_AGE_S + 2) * 1000 - Date.now());
  log(`load and faults over; ${(quietMs / 1000).toFixed(0)} s quiet…`);
  await sleep(quietMs);
  await games;
  const probeWindows = await probes.stop();

  const stubGames = (await fetch(`${topo.stubUrl}/control/games`).then((r) => r.json())) as StubGame[];
  const checks = await checkInvariants(
    queryOn(topo.pg),
    stubGames,
    { accepted: load.accepted, unknownJoins, serverErrors },
    [...records, ...probeWindows],
    { pendingMaxAgeS: PENDING_MAX_AGE_S, lastRepairAt, recoveryGraceMs: RECOVERY_GRACE_MS },
  );
  const [figures] = (
    await topo.pg.query(
      `SELECT (SELECT count(*)::int FROM queue_entries) AS entries,
              (SELECT count(*)::int FROM matches) AS matches,
              (SELECT count(*)::int FROM matches WHERE status = 'CREATED') AS created,
              (SELECT count(*)::int FROM matches WHERE status = 'FAILED') AS failed,
              (SELECT count(*)::int FROM matches WHERE status = 'PENDING') AS pending,
              (SELECT count(*)::int FROM matches WHERE result IS NOT NULL) AS with_result,
              (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM queue_entries GROUP BY status) x) AS by_status`,
    )
  ).rows;
  const report = {
    seed: s.seed,
    settings: { ...s, quietS },
    faults: records,
    probeWindows,
    checks,
    figures,
    driver: c,
    unknownJoins,
  };
  printChaosReport(report);
  writeChaosReport(report, [topo.api, ...topo.workers, topo.redis]);
  return checks.every((k) => k.ok) && records.every((r) => !r.error) ? 0 : 1;
}

/** Own Redis, a cuttable proxy in front of PostgreSQL, a fresh database, the stub, one api and two workers. */
async function startTopology(seed: number): Promise<Topology & { pg: import('pg').Client; databaseUrl: string }> {
  // not "chaos": test teardowns drop every database whose name contains their run id
  const scratch = await scratchStores('soak');
  const [redisPort, apiPort, w1, w2] = await freePorts(4);
  const redis = RestartableProcess.redis(redisPort);
  await redis.start();
  const pgProxy = await PgProxyProcess.start(Number(new URL(scratch.databaseUrl).port || 5432));
  const stub = await startNode(
    'live-game-stub',
    STUB_MAIN,
    { NODE_ENV: 'production', STUB_RESULT_URL: 'http://127.0.0.1:9', STUB_RESULT_API_KEY: INTERNAL_API_KEY },
    { portVar: 'STUB_PORT', readyPath: '/control' },
  );
  const redisDb = 0;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: pgProxy.url(scratch.databaseUrl),
    REDIS_URL: `redis://127.0.0.1:${redisPort}/${redisDb}`,
    REDIS_KEY_PREFIX: `mmchaos${seed}`,
    JWT_SECRET,
    INTERNAL_API_KEY,
    LIVE_GAME_API_URL: stub.url,
    LIVE_GAME_API_TIMEOUT_MS: String(LIVE_GAME_TIMEOUT_MS),
    GAME_CREATE_ATTEMPTS: String(GAME_CREATE_ATTEMPTS),
    GAME_CREATE_BACKOFF_MS: String(GAME_CREATE_BACKOFF_MS),
    LOG_LEVEL: 'warn',
    MATCH_TICK_MS: String(SIM_TICK_MS),
    TIMEOUT_SWEEP_MS: String(TIMEOUT_SWEEP_MS),
    QUEUE_TIMEOUT_SECONDS: '45',
    RATE_LIMIT_JOINS_PER_MINUTE: '100000',
    ACTIVE_GAME_CHECK: 'true',
  };
  const api = RestartableProcess.node('api', SERVICE_MAIN, { ...env, ROLE: 'api' }, apiPort);
  const workers = [w1, w2].map((port, i) =>
    RestartableProcess.node(`worker-${i + 1}`, SERVICE_MAIN, { ...env, ROLE: 'worker' }, port),
  );
  await Promise.all([api, ...workers].map((p) => p.start()));
  log(`api ${api.url}, workers ${workers.map((w) => w.url).join(' ')}, redis :${redisPort}, pg proxy :${pgProxy.port}`);
  return {
    api,
    workers,
    redis,
    redisDb,
    pgProxy,
    stubUrl: stub.url,
    liveGameTimeoutMs: LIVE_GAME_TIMEOUT_MS,
    pg: scratch.pg,
    databaseUrl: scratch.databaseUrl,
  };
}
