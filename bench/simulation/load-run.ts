import fs from 'fs';
import path from 'path';
import { seededRandom } from '@app/core/testing';
import { log, REDIS_URL, scratchStores, SERVICE_MAIN, sleep, startNode, STUB_MAIN, envInt } from '../support/harness';
import { checkTokenSigner } from '../support/tokens';
import { newCounters, SimClient } from './client';
import { printSummary, writeReports } from './output';
import { startLoad } from './players';
import { buildReport, serviceMetrics } from './report';
import { buildRoster, importRatings } from './roster';
import { INTERNAL_API_KEY, JWT_SECRET, parseExtraEnv, readSettings, reportsDir, SIM_TICK_MS } from './settings';
import { progressLine, stubControl, varyGameLengths } from './stub-control';

/**
 * The plain simulation: the built service (ROLE=all, or api + worker with SIM_SPLIT_ROLES=1) and the
 * live-game stub on a fresh database, driven over HTTP by simulated players; the report comes from
 * SQL and the stub's /control/games. Returns 1 when the accounting identity fails.
 */
export async function runLoadSimulation(): Promise<number> {
  const s = readSettings();
  const random = seededRandom(s.seed);
  checkTokenSigner(JWT_SECRET);

  const scratch = await scratchStores('sim');
  const serviceEnv: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: scratch.databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: scratch.redisPrefix,
    JWT_SECRET,
    INTERNAL_API_KEY,
    ROLE: 'all',
    LOG_LEVEL: 'warn',
    MATCH_TICK_MS: String(SIM_TICK_MS),
    TIMEOUT_SWEEP_MS: '1000',
    QUEUE_TIMEOUT_SECONDS: String(s.queueTimeoutS),
    RATE_LIMIT_JOINS_PER_MINUTE: '100000',
    ACTIVE_GAME_CHECK: 'true',
    GAME_CREATE_BACKOFF_MS: '200',
    ...parseExtraEnv(s.serviceExtra),
  };
  log('starting the live-game stub and the service…');
  // the stub needs the service's URL and the service the stub's: start the stub pointing at a
  // placeholder, then tell it the real result URL through PUT /control once the service is up
  const stub = await startNode(
    'live-game-stub',
    STUB_MAIN,
    {
      NODE_ENV: 'production',
      STUB_FINISH_AFTER_MS: String(Math.round((s.gameMinMs + s.gameMaxMs) / 2)),
      STUB_RESULT_URL: 'http://127.0.0.1:9',
      STUB_RESULT_API_KEY: INTERNAL_API_KEY,
    },
    { portVar: 'STUB_PORT', readyPath: '/control' },
  );
  const split = process.env.SIM_SPLIT_ROLES === '1';
  const base = { ...serviceEnv, LIVE_GAME_API_URL: stub.url };
  const service = await startNode(split ? 'matchmaking-api' : 'matchmaking', SERVICE_MAIN, {
    ...base,
    ...(split ? { ROLE: 'api' } : {}),
  });
  const worker = split ? await startNode('matchmaking-worker', SERVICE_MAIN, { ...base, ROLE: 'worker' }) : null;
  await stubControl(stub.url, { result_url: service.url, result_api_key: INTERNAL_API_KEY });

  const roster = buildRoster(random, s.players);
  log(`importing ${s.players} ratings…`);
  await importRatings(service.url, roster);

  const c = newCounters();
  const [{ now: dbStart }] = (await scratch.pg.query('SELECT now() AS now')).rows as Array<{ now: Date }>;
  const startedAt = Date.now();
  const endAt = startedAt + s.durationS * 1000;
  const client = new SimClient(service.url, c, s.maxInFlight);
  const { load, done } = startLoad(client, roster, random, s, endAt);
  const gameLengths = varyGameLengths(stub.url, random, s.gameMinMs, s.gameMaxMs, endAt);
  const stopProgress = progressLine(() => {
    const elapsed = (Date.now() - startedAt) / 1000;
    const bar = '#'.repeat(Math.round(Math.min(1, elapsed / s.durationS) * 24)).padEnd(24, '.');
    return (
      `[${bar}] ${elapsed.toFixed(0).padStart(3)}/${s.durationS} s  players ${load.lives.length}  joins ${c.accepted}  ` +
      `matched ${c.matchedSeen}  waiting ${c.waiting}  in game ${c.inGame}  timeouts ${c.timedOutSeen}  cancels ${c.cancelled}  409s ${c.activeGame409}`
    );
  });
  await Promise.all([done, gameLengths]);
  stopProgress();
  log('arrivals stopped; all in-flight requests answered.');
  await settlePending(scratch.pg, envInt('SIM_SETTLE_S', 20));
  log('reading the results…');

  const scrape = (url: string) =>
    fetch(`${url}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
  const metricsText = (await Promise.all([service, ...(worker ? [worker] : [])].map((p) => scrape(p.url)))).join('\n');
  const report = await buildReport(scratch.pg, dbStart, stub.url, c, serviceMetrics(metricsText), {
    ...s,
    matchTickMs: SIM_TICK_MS,
    roles: split ? 'api + worker' : 'all',
  });
  writeReports(report);
  const dir = reportsDir();
  fs.writeFileSync(path.join(dir, 'simulation-service.log'), service.output());
  fs.writeFileSync(path.join(dir, 'simulation-stub.log'), stub.output());
  if (worker) fs.writeFileSync(path.join(dir, 'simulation-worker.log'), worker.output());
  printSummary(report);
  return report.identity.ok ? 0 : 1;
}

/**
 * Lets game creation catch up (matches PENDING → CREATED) so the game checks compare settled state;
 * entries still SEARCHING/MATCHING afterwards are fine for the identity.
 */
export async function settlePending(pg: import('pg').Client, settleS: number): Promise<number> {
  const until = Date.now() + settleS * 1000;
  for (;;) {
    const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM matches WHERE status = 'PENDING'`)).rows;
    if (n === 0 || Date.now() > until) {
      if (n) log(`${n} matches still PENDING after the settle time; reporting anyway`);
      process.stderr.write('\n');
      return n as number;
    }
    process.stderr.write(`\rsettling: ${n} matches waiting for their game…\x1b[K`);
    await sleep(500);
  }
}
