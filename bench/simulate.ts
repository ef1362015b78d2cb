import fs from 'fs';
import path from 'path';
import { normal, seededRandom } from '@app/core/testing';
import { histogramSvg, lineChartSvg } from './simulation/charts';
import {
  envInt,
  log,
  quantile,
  REDIS_URL,
  runMain,
  scratchStores,
  SERVICE_MAIN,
  sleep,
  sortedNumbers,
  startNode,
  STUB_MAIN,
} from './support/harness';
import { signToken, checkTokenSigner } from './support/tokens';

/**
 * `npm run simulate`: the built service (ROLE=all, 250 ms ticks) and the live-game stub (games finish
 * after 3–8 s and post results back) on a fresh database, driven over HTTP by simulated players:
 *
 * - SIM_PLAYERS (2000) players, ratings ~N(1500, 300) imported through PUT /internal/players/…/ratings,
 *   regions EU/NA/ASIA/SA with ~10 % none, each with a favourite time control (5+0, 3+2, 10+0, 1+0).
 * - First arrivals are a Poisson process (exponential gaps; rate SIM_ARRIVAL_RATE per s, default
 *   players / (duration / 2)); after a game, a cancel or a timeout a player comes back after an
 *   exponential break (mean SIM_THINK_S, 10 s) — a 409 ACTIVE_GAME_EXISTS just means "wait 1 s, retry".
 * - Players poll their entry every SIM_POLL_MS (1000); ~5 % (SIM_CANCEL_SHARE) cancel after 2–15 s.
 * - QUEUE_TIMEOUT_SECONDS = SIM_QUEUE_TIMEOUT_S (45) so timeouts appear.
 * - After SIM_DURATION_S (60) arrivals stop; the report comes from SQL (plus the stub's /control/games).
 *
 * Exits 1 when the accounting identity fails. Writes reports/simulation.{html,json} and
 * reports/wait-histogram.svg. SIM_PLAYERS=300 SIM_DURATION_S=20 is a CI-sized run.
 */

const JWT_SECRET = 'sim-jwt-secret-0123456789abcdef';
const INTERNAL_API_KEY = 'sim-internal-api-key-0123456789';
const REGIONS = ['EU', 'NA', 'ASIA', 'SA'];
const TIME_CONTROLS: Array<{ tc: string; category: string; weight: number }> = [
  { tc: '5+0', category: 'blitz', weight: 0.4 },
  { tc: '3+2', category: 'blitz', weight: 0.3 },
  { tc: '10+0', category: 'rapid', weight: 0.2 },
  { tc: '1+0', category: 'bullet', weight: 0.1 },
];
const REPORTS = path.join(process.cwd(), 'reports');
const TERMINAL = new Set(['MATCHED', 'CANCELLED', 'TIMED_OUT']);

interface SimPlayer {
  id: string;
  auth: string;
  rating: number;
  region: string | null;
  tc: string;
  category: string;
  /** queue entry ids this player already followed */
  seen: Set<string>;
}

interface Counters {
  joinAttempts: number;
  accepted: number;
  activeGame409: number;
  alreadyInQueue409: number;
  otherJoinErrors: number;
  polls: number;
  pollErrors: number;
  matchedSeen: number;
  timedOutSeen: number;
  cancelRequests: number;
  cancelled: number;
  cancelTooLate: number;
  waiting: number;
  inGame: number;
  httpErrors: number;
  /** SSE connections opened */
  streams: number;
  /** joins whose answer was lost (transport error) but that went through, found with GET /active */
  recoveredJoins: number;
  /** what went wrong, e.g. "POST 503 MATCHMAKING_UNAVAILABLE" or "GET fetch failed (UND_ERR_HEADERS_TIMEOUT)" → count */
  errorKinds: Record<string, number>;
}

/** "K=V,K=V" → env overrides for the service. */
function parseExtraEnv(raw: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const part of (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq > 0) env[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return env;
}

function exp(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

runMain(async () => {
  const players = envInt('SIM_PLAYERS', 2000);
  const durationS = envInt('SIM_DURATION_S', 60);
  const arrivalRate = envInt('SIM_ARRIVAL_RATE', players / Math.max(1, durationS / 2));
  const thinkS = envInt('SIM_THINK_S', 10);
  const pollMs = envInt('SIM_POLL_MS', 1000);
  const cancelShare = envInt('SIM_CANCEL_SHARE', 0.05);
  const queueTimeoutS = envInt('SIM_QUEUE_TIMEOUT_S', 45);
  const gameMinMs = envInt('SIM_GAME_MIN_MS', 3000);
  const gameMaxMs = envInt('SIM_GAME_MAX_MS', 8000);
  const seed = envInt('SIM_SEED', 42);
  const maxInFlight = Math.max(1, envInt('SIM_MAX_INFLIGHT', 64));
  const serviceExtra = process.env.SIM_SERVICE_ENV ?? '';
  const watchMode = process.env.SIM_WATCH ?? 'mixed';
  if (!['poll', 'sse', 'mixed'].includes(watchMode))
    throw new Error(`SIM_WATCH=${watchMode}: expected poll, sse or mixed`);
  const random = seededRandom(seed);
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
    MATCH_TICK_MS: '250',
    TIMEOUT_SWEEP_MS: '1000',
    QUEUE_TIMEOUT_SECONDS: String(queueTimeoutS),
    RATE_LIMIT_JOINS_PER_MINUTE: '100000',
    ACTIVE_GAME_CHECK: 'true',
    GAME_CREATE_BACKOFF_MS: '200',
    ...parseExtraEnv(process.env.SIM_SERVICE_ENV),
  };
  log('starting the live-game stub and the service (ROLE=all)…');
  // the stub needs the service's URL and the service the stub's: start the stub pointing at a
  // placeholder, then tell it the real result URL through PUT /control once the service is up
  const stub = await startNode(
    'live-game-stub',
    STUB_MAIN,
    {
      NODE_ENV: 'production',
      STUB_FINISH_AFTER_MS: String(Math.round((gameMinMs + gameMaxMs) / 2)),
      STUB_RESULT_URL: 'http://127.0.0.1:9',
      STUB_RESULT_API_KEY: INTERNAL_API_KEY,
    },
    { portVar: 'STUB_PORT', readyPath: '/control' },
  );
  // SIM_SPLIT_ROLES=1: one ROLE=api and one ROLE=worker process instead of one ROLE=all
  const split = process.env.SIM_SPLIT_ROLES === '1';
  const service = await startNode(split ? 'matchmaking-api' : 'matchmaking', SERVICE_MAIN, {
    ...serviceEnv,
    LIVE_GAME_API_URL: stub.url,
    ...(split ? { ROLE: 'api' } : {}),
  });
  const worker = split
    ? await startNode('matchmaking-worker', SERVICE_MAIN, {
        ...serviceEnv,
        LIVE_GAME_API_URL: stub.url,
        ROLE: 'worker',
      })
    : null;
  const control = (body: Record<string, unknown>) =>
    fetch(`${stub.url}/control`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`PUT /control → ${r.status} ${await r.text()}`);
    });
  await control({ result_url: service.url, result_api_key: INTERNAL_API_KEY });

  // players and their ratings
  const cumulative: number[] = [];
  TIME_CONTROLS.reduce((acc, t) => (cumulative.push(acc + t.weight), acc + t.weight), 0);
  const roster: SimPlayer[] = [];
  for (let i = 0; i < players; i++) {
    const id = `sim-${String(i).padStart(5, '0')}`;
    const r = random();
    const t =
      TIME_CONTROLS[
        Math.max(
          0,
          cumulative.findIndex((c) => r < c),
        )
      ];
    roster.push({
      id,
      auth: `Bearer ${signToken(JWT_SECRET, id, {}, 6 * 3600)}`,
      rating: Math.min(3200, Math.max(100, Math.round(normal(random, 1500, 300)))),
      region: random() < 0.1 ? null : REGIONS[Math.floor(random() * REGIONS.length)],
      tc: t.tc,
      category: t.category,
      seen: new Set(),
    });
  }
  log(`importing ${players} ratings…`);
  let nextImport = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = nextImport++; i < roster.length; i = nextImport++) {
        const p = roster[i];
        const res = await fetch(`${service.url}/internal/players/${p.id}/ratings/${p.category}`, {
          method: 'PUT',
          headers: { 'x-api-key': INTERNAL_API_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ rating: p.rating }),
        });
        if (!res.ok) throw new Error(`rating import ${p.id} → ${res.status} ${await res.text()}`);
      }
    }),
  );

  const c: Counters = {
    joinAttempts: 0,
    accepted: 0,
    activeGame409: 0,
    alreadyInQueue409: 0,
    otherJoinErrors: 0,
    polls: 0,
    pollErrors: 0,
    matchedSeen: 0,
    timedOutSeen: 0,
    cancelRequests: 0,
    cancelled: 0,
    cancelTooLate: 0,
    waiting: 0,
    inGame: 0,
    httpErrors: 0,
    streams: 0,
    recoveredJoins: 0,
    errorKinds: {},
  };
  const [{ now: dbStart }] = (await scratch.pg.query('SELECT now() AS now')).rows as Array<{ now: Date }>;
  const startedAt = Date.now();
  const endAt = startedAt + durationS * 1000;
  const running = () => Date.now() < endAt;
  /** Sleeps, but never past the end of the run: nobody keeps the report waiting. */
  const nap = (ms: number) => sleep(Math.max(0, Math.min(ms, endAt - Date.now())));
  const lives: Promise<void>[] = [];

  const countError = (kind: string) => {
    c.errorKinds[kind] = (c.errorKinds[kind] ?? 0) + 1;
  };
  // the driver is one process standing in for thousands of clients: bound its open requests so it
  // does not flood the service's accept queue (SSE streams are not counted)
  let inFlight = 0;
  const queued: Array<() => void> = [];
  const http = async (
    method: string,
    url: string,
    auth: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }> => {
    if (inFlight >= maxInFlight) await new Promise<void>((resolve) => queued.push(resolve));
    inFlight++;
    try {
      return await httpNow(method, url, auth, body);
    } finally {
      inFlight--;
      queued.shift()?.();
    }
  };
  const httpNow = async (
    method: string,
    url: string,
    auth: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }> => {
    try {
      const res = await fetch(service.url + url, {
        method,
        headers:
          body === undefined ? { authorization: auth } : { authorization: auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const json = text ? JSON.parse(text) : null;
      if (
        res.status >= 400 &&
        !(res.status === 409 && (json?.code === 'ACTIVE_GAME_EXISTS' || json?.code === 'CANNOT_CANCEL'))
      ) {
        countError(`${method} ${res.status} ${json?.code ?? ''}`.trim());
      }
      return { status: res.status, json };
    } catch (error) {
      c.httpErrors++;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      countError(
        `${method} ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause.code ?? cause.message})` : ''}`,
      );
      return { status: 0, json: { error: String(error) } };
    }
  };

  /** One player's life from first arrival to the end of the run. */
  /** Poll the entry until a terminal state (or the end of the run); cancels at cancelAt when still SEARCHING. */
  const watchByPolling = async (p: SimPlayer, id: string, cancelAt: number): Promise<string> => {
    let outcome = 'SEARCHING';
    while (running()) {
      await nap(pollMs * (0.75 + random() * 0.5));
      if (!running()) break;
      if (Date.now() >= cancelAt && outcome === 'SEARCHING') {
        const cancelled = await cancel(p, id);
        if (cancelled) return 'CANCELLED';
        cancelAt = Infinity;
      }
      c.polls++;
      const got = await http('GET', `/v1/matchmaking/queue/${id}`, p.auth);
      if (got.status !== 200) {
        c.pollErrors++;
        continue;
      }
      outcome = got.json.status;
      if (TERMINAL.has(outcome)) break;
    }
    return outcome;
  };

  /** Follow GET /queue/{id}/events until a terminal event (the server closes the stream) or the end of the run. */
  const watchByStream = async (p: SimPlayer, id: string, cancelAt: number): Promise<string> => {
    let outcome = 'SEARCHING';
    const abort = new AbortController();
    const stopAtEnd = setTimeout(() => abort.abort(), Math.max(0, endAt - Date.now()));
    const cancelTimer = Number.isFinite(cancelAt)
      ? setTimeout(() => void (outcome === 'SEARCHING' && cancel(p, id)), Math.max(0, cancelAt - Date.now()))
      : null;
    try {
      while (running() && !TERMINAL.has(outcome)) {
        c.streams++;
        const res = await fetch(`${service.url}/v1/matchmaking/queue/${id}/events`, {
          headers: { authorization: p.auth },
          signal: abort.signal,
        });
        if (res.status !== 200 || !res.body) {
          countError(`SSE ${res.status}`);
          await res.body?.cancel();
          await nap(1000);
          continue;
        }
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('\n');
            if (data) outcome = JSON.parse(data).status;
          }
        }
        // stream ended: after a terminal event the server closes it; otherwise reconnect
      }
    } catch (error) {
      if (!abort.signal.aborted) {
        c.httpErrors++;
        countError(`SSE ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      clearTimeout(stopAtEnd);
      if (cancelTimer) clearTimeout(cancelTimer);
    }
    return outcome;
  };

  const cancel = async (p: SimPlayer, id: string): Promise<boolean> => {
    c.cancelRequests++;
    const del = await http('DELETE', `/v1/matchmaking/queue/${id}`, p.auth);
    if (del.status === 200) {
      c.cancelled++;
      return true;
    }
    if (del.status === 409) c.cancelTooLate++;
    return false;
  };

  /** One player's life from first arrival to the end of the run. */
  const live = async (p: SimPlayer): Promise<void> => {
    const useStream = watchMode === 'sse' || (watchMode === 'mixed' && random() < 0.5);
    while (running()) {
      // join; 409 ACTIVE_GAME_EXISTS: the last game has no result yet → wait and retry
      c.joinAttempts++;
      const body: Record<string, unknown> = { time_control: p.tc };
      if (p.region) body.region = p.region;
      const join = await http('POST', '/v1/matchmaking/queue', p.auth, body);
      let id: string | null = join.status === 201 ? join.json.queue_entry_id : null;
      if (join.status === 0) {
        // the answer was lost: like a real client, ask whether the join went through
        const active = await http('GET', '/v1/matchmaking/active', p.auth);
        const entry = active.json?.queue_entry;
        if (active.status === 200 && entry && entry.status === 'SEARCHING' && !p.seen.has(entry.queue_entry_id)) {
          c.recoveredJoins++;
          id = entry.queue_entry_id;
        }
      }
      if (!id) {
        if (join.status === 409 && join.json?.code === 'ACTIVE_GAME_EXISTS') c.activeGame409++;
        else if (join.status === 409 && join.json?.code === 'ALREADY_IN_QUEUE') c.alreadyInQueue409++;
        else c.otherJoinErrors++;
        await nap(1000);
        continue;
      }
      p.seen.add(id);
      c.accepted++;
      c.waiting++;
      const cancelAt = random() < cancelShare ? Date.now() + 2000 + random() * 13_000 : Infinity;
      const outcome = useStream ? await watchByStream(p, id, cancelAt) : await watchByPolling(p, id, cancelAt);
      c.waiting--;
      if (outcome === 'MATCHED') {
        c.matchedSeen++;
        c.inGame++;
        await nap(gameMinMs);
        c.inGame--;
      } else if (outcome === 'TIMED_OUT') {
        c.timedOutSeen++;
      }
      if (!running()) break;
      await nap(exp(random, thinkS * 1000));
    }
  };

  // first arrivals: Poisson process
  const arrivals = (async () => {
    const order = roster.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const p of order) {
      await nap(exp(random, 1000 / Math.max(arrivalRate, 1e-6)));
      if (!running()) break;
      lives.push(live(p));
    }
  })();

  // games last gameMin–gameMax ms: re-draw the stub's finish delay every half second
  const gameLengths = (async () => {
    while (running()) {
      await control({ finish_after_ms: Math.round(gameMinMs + random() * (gameMaxMs - gameMinMs)) }).catch(
        () => undefined,
      );
      await nap(500);
    }
  })();

  // progress bar on stderr
  const tty = process.stderr.isTTY;
  const progress = setInterval(
    () => {
      const elapsed = (Date.now() - startedAt) / 1000;
      const share = Math.min(1, elapsed / durationS);
      const bar = '#'.repeat(Math.round(share * 24)).padEnd(24, '.');
      const line =
        `[${bar}] ${elapsed.toFixed(0).padStart(3)}/${durationS} s  players ${lives.length}  joins ${c.accepted}  ` +
        `matched ${c.matchedSeen}  waiting ${c.waiting}  in game ${c.inGame}  timeouts ${c.timedOutSeen}  cancels ${c.cancelled}  409s ${c.activeGame409}`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    tty ? 500 : 5000,
  );

  await arrivals;
  await gameLengths;
  await Promise.all(lives);
  clearInterval(progress);
  process.stderr.write('\n');
  log('arrivals stopped; all in-flight requests answered.');
  // let game creation catch up (matches PENDING → CREATED) so the game checks compare settled state;
  // entries still SEARCHING/MATCHING afterwards are fine for the identity
  const settleUntil = Date.now() + envInt('SIM_SETTLE_S', 20) * 1000;
  for (;;) {
    const [{ n }] = (await scratch.pg.query(`SELECT count(*)::int AS n FROM matches WHERE status = 'PENDING'`)).rows;
    if (n === 0) break;
    if (Date.now() > settleUntil) {
      log(`${n} matches still PENDING after the settle time; reporting anyway`);
      break;
    }
    process.stderr.write(`\rsettling: ${n} matches waiting for their game…\x1b[K`);
    await sleep(500);
  }
  process.stderr.write('\n');
  log('reading the results…');

  const metricsText =
    (await fetch(`${service.url}/metrics`).then(
      (r) => r.text(),
      () => '',
    )) +
    (worker
      ? `\n${await fetch(`${worker.url}/metrics`).then(
          (r) => r.text(),
          () => '',
        )}`
      : '');
  const report = await buildReport(scratch.pg, dbStart, stub.url, c, serviceMetrics(metricsText), {
    players,
    durationS,
    arrivalRate,
    thinkS,
    pollMs,
    cancelShare,
    queueTimeoutS,
    gameMinMs,
    gameMaxMs,
    seed,
    matchTickMs: 250,
    maxInFlight,
    watchMode,
    serviceExtra,
    roles: split ? 'api + worker' : 'all',
  });
  writeReports(report);
  fs.writeFileSync(path.join(REPORTS, 'simulation-service.log'), service.output());
  fs.writeFileSync(path.join(REPORTS, 'simulation-stub.log'), stub.output());
  if (worker) fs.writeFileSync(path.join(REPORTS, 'simulation-worker.log'), worker.output());
  printSummary(report);
  return report.identity.ok ? 0 : 1;
});

// ---------------------------------------------------------------------------------------------

type Pg = import('pg').Client;

/** Mean of a Prometheus histogram (all label sets): _sum / _count. */
function histogramMean(text: string, name: string, exclude?: RegExp): { count: number; mean_ms: number | null } {
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+?)_(sum|count)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (!m || m[1] !== name || (exclude && exclude.test(m[3] ?? ''))) continue;
    if (m[2] === 'sum') sum += Number(m[4]);
    else count += Number(m[4]);
  }
  return { count, mean_ms: count ? Math.round((sum / count) * 1000 * 100) / 100 : null };
}

function serviceMetrics(text: string) {
  return {
    game_creation_call: histogramMean(text, 'matchmaking_game_creation_duration_seconds'),
    tick: histogramMean(text, 'matchmaking_tick_duration_seconds'),
    http_request: histogramMean(text, 'http_request_duration_seconds', /events/),
  };
}

async function buildReport(
  pg: Pg,
  dbStart: Date,
  stubUrl: string,
  c: Counters,
  metrics: ReturnType<typeof serviceMetrics>,
  settings: Record<string, number | string>,
) {
  const q = async <T = any>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await pg.query(sql, params)).rows as T[];

  const byStatus = await q<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM queue_entries GROUP BY status ORDER BY status`,
  );
  const statusCounts: Record<string, number> = { SEARCHING: 0, MATCHING: 0, MATCHED: 0, CANCELLED: 0, TIMED_OUT: 0 };
  for (const r of byStatus) statusCounts[r.status] = r.n;
  const totalEntries = byStatus.reduce((s, r) => s + r.n, 0);
  const unknownStatuses = byStatus.filter(
    (r) => !['SEARCHING', 'MATCHING', 'MATCHED', 'CANCELLED', 'TIMED_OUT'].includes(r.status),
  );
  const [games] = await q<{
    with_game: number;
    distinct_games: number;
    matches: number;
    created: number;
    failed: number;
    pending: number;
    with_result: number;
  }>(
    `SELECT count(game_id)::int AS with_game, count(DISTINCT game_id)::int AS distinct_games, count(*)::int AS matches,
            count(*) FILTER (WHERE status = 'CREATED')::int AS created, count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
            count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(result)::int AS with_result FROM matches`,
  );
  const [entryLinks] = await q<{ matched_without_game: number; entries_in_two_matches: number }>(
    `SELECT (SELECT count(*) FROM queue_entries WHERE status = 'MATCHED' AND game_id IS NULL)::int AS matched_without_game,
            (SELECT count(*) FROM (SELECT e FROM (SELECT white_entry_id AS e FROM matches UNION ALL SELECT black_entry_id FROM matches) x
                                   WHERE e IS NOT NULL GROUP BY e HAVING count(*) > 1) d)::int AS entries_in_two_matches`,
  );
  const stubGames = (await fetch(`${stubUrl}/control/games`).then((r) => r.json())) as Array<{
    match_id: string;
    game_id: string;
    result: string | null;
  }>;
  const perMatch = new Map<string, number>();
  for (const g of stubGames) perMatch.set(g.match_id, (perMatch.get(g.match_id) ?? 0) + 1);
  const maxGamesPerMatch = Math.max(0, ...perMatch.values());
  const matchGames = new Map(
    (await q<{ id: string; game_id: string | null }>(`SELECT id, game_id FROM matches`)).map((m) => [m.id, m.game_id]),
  );
  let orphan = 0;
  let disagree = 0;
  let inFlight = 0;
  for (const g of stubGames) {
    if (!matchGames.has(g.match_id)) orphan++;
    else if (matchGames.get(g.match_id) === null) inFlight++;
    else if (matchGames.get(g.match_id) !== g.game_id) disagree++;
  }
  const recordedWithoutStubGame = [...matchGames].filter(([id, gid]) => gid !== null && !perMatch.has(id)).length;
  const gameAgreement = {
    ok: orphan === 0 && disagree === 0 && recordedWithoutStubGame === 0,
    detail:
      `${stubGames.length} stub games; ${orphan} without a match, ${disagree} with another game id, ` +
      `${recordedWithoutStubGame} recorded ids unknown to the stub, ${inFlight} created but not yet recorded (in flight)`,
  };

  const checks = [
    {
      name: 'count(queue_entries) = joins accepted by the driver (201, or recovered via /active)',
      ok: totalEntries === c.accepted,
      detail: `${totalEntries} vs ${c.accepted}`,
    },
    {
      name: 'every entry is SEARCHING, MATCHING, MATCHED, CANCELLED or TIMED_OUT',
      ok: unknownStatuses.length === 0,
      detail: JSON.stringify(statusCounts),
    },
    {
      name: 'count(DISTINCT game_id) = count(game_id) in matches',
      ok: games.distinct_games === games.with_game,
      detail: `${games.distinct_games} vs ${games.with_game}`,
    },
    {
      name: 'stub /control/games per match_id ≤ 1',
      ok: maxGamesPerMatch <= 1,
      detail: `max ${maxGamesPerMatch} over ${perMatch.size} matches`,
    },
    {
      name: "every stub game belongs to a match, and matches with a game id name the stub's game",
      ok: gameAgreement.ok,
      detail: gameAgreement.detail,
    },
    {
      name: 'no queue entry in two matches',
      ok: entryLinks.entries_in_two_matches === 0,
      detail: String(entryLinks.entries_in_two_matches),
    },
    {
      name: 'every MATCHED entry has a game id',
      ok: entryLinks.matched_without_game === 0,
      detail: String(entryLinks.matched_without_game),
    },
  ];

  const waits = (
    await q<{ w: number }>(
      `SELECT white_wait_ms AS w FROM matches WHERE source = 'queue' UNION ALL SELECT black_wait_ms FROM matches WHERE source = 'queue'`,
    )
  ).map((r) => r.w / 1000);
  const toGame = (
    await q<{ s: number }>(
      `SELECT extract(epoch FROM game_created_at - created_at)::float8 AS s FROM matches WHERE source = 'queue' AND game_created_at IS NOT NULL`,
    )
  ).map((r) => r.s);
  const stg = sortedNumbers(toGame);
  const gaps = (await q<{ g: number }>(`SELECT rating_gap AS g FROM matches WHERE source = 'queue'`)).map((r) => r.g);
  const [cross] = await q<{ both_regions: number; cross_region: number; total: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE w.region IS NOT NULL AND b.region IS NOT NULL)::int AS both_regions,
            count(*) FILTER (WHERE w.region IS NOT NULL AND b.region IS NOT NULL AND w.region <> b.region)::int AS cross_region
     FROM matches m JOIN queue_entries w ON w.id = m.white_entry_id JOIN queue_entries b ON b.id = m.black_entry_id`,
  );
  const [ended] = await q<{ timeouts: number; cancel_user: number; cancel_other: number }>(
    `SELECT count(*) FILTER (WHERE status = 'TIMED_OUT')::int AS timeouts,
            count(*) FILTER (WHERE status = 'CANCELLED' AND ended_reason = 'user')::int AS cancel_user,
            count(*) FILTER (WHERE status = 'CANCELLED' AND ended_reason <> 'user')::int AS cancel_other FROM queue_entries`,
  );
  const buckets = await q<{
    b: number;
    n: number;
    wait_p50: number;
    wait_p95: number;
    gap_p50: number;
    gap_p95: number;
    to_game_p50: number | null;
    to_game_p95: number | null;
  }>(
    `WITH m AS (SELECT floor(extract(epoch FROM created_at - $1::timestamptz) / 10)::int AS b, rating_gap,
                       white_wait_ms, black_wait_ms, extract(epoch FROM game_created_at - created_at)::float8 AS to_game
                FROM matches WHERE source = 'queue'),
          w AS (SELECT b, white_wait_ms / 1000.0 AS s FROM m UNION ALL SELECT b, black_wait_ms / 1000.0 FROM m)
     SELECT g.b, g.n, w2.wait_p50, w2.wait_p95, g.gap_p50, g.gap_p95, g.to_game_p50, g.to_game_p95
     FROM (SELECT b, count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY rating_gap) AS gap_p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY rating_gap) AS gap_p95,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY to_game) AS to_game_p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY to_game) AS to_game_p95 FROM m GROUP BY b) g
     JOIN (SELECT b, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS wait_p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS wait_p95 FROM w GROUP BY b) w2 USING (b)
     ORDER BY b`,
    [dbStart],
  );

  const sw = sortedNumbers(waits);
  const sg = sortedNumbers(gaps);
  const r2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return {
    generated_at: new Date().toISOString(),
    settings,
    driver: c,
    service_metrics: metrics,
    matches: {
      total: games.matches,
      created: games.created,
      failed: games.failed,
      pending: games.pending,
      with_result: games.with_result,
    },
    time_to_match_s: {
      samples: sw.length,
      p50: r2(quantile(sw, 0.5)),
      p95: r2(quantile(sw, 0.95)),
      p99: r2(quantile(sw, 0.99)),
      max: r2(sw.at(-1) ?? null),
    },
    pairing_to_game_s: {
      samples: stg.length,
      p50: r2(quantile(stg, 0.5)),
      p95: r2(quantile(stg, 0.95)),
      p99: r2(quantile(stg, 0.99)),
    },
    rating_gap: {
      samples: sg.length,
      p50: r2(quantile(sg, 0.5)),
      p95: r2(quantile(sg, 0.95)),
      mean: r2(sg.length ? sg.reduce((a, b) => a + b, 0) / sg.length : null),
    },
    cross_region: {
      matches_with_both_regions: cross.both_regions,
      cross_region: cross.cross_region,
      share: cross.both_regions ? Math.round((cross.cross_region / cross.both_regions) * 10000) / 10000 : null,
    },
    timeouts: ended.timeouts,
    cancellations: { by_user: ended.cancel_user, other: ended.cancel_other },
    entries_by_status: statusCounts,
    identity: { ok: checks.every((k) => k.ok), checks },
    buckets_10s: buckets.map((b) => ({
      start_s: b.b * 10,
      matches: b.n,
      wait_p50_s: r2(b.wait_p50),
      wait_p95_s: r2(b.wait_p95),
      gap_p50: r2(b.gap_p50),
      gap_p95: r2(b.gap_p95),
      pairing_to_game_p50_s: r2(b.to_game_p50),
      pairing_to_game_p95_s: r2(b.to_game_p95),
    })),
    _samples: { waits: sw, gaps: sg },
  };
}

type Report = Awaited<ReturnType<typeof buildReport>>;

function writeReports(report: Report): void {
  fs.mkdirSync(REPORTS, { recursive: true });
  const { _samples, ...json } = report;
  const waitMax = Math.max(1, quantile(_samples.waits, 0.99) ?? 1);
  const waitHist = histogramSvg(
    _samples.waits.filter((w) => w <= waitMax),
    {
      title: `Time to match (s), ${_samples.waits.length} players, up to p99`,
      xLabel: 'seconds from join to pairing',
      bins: 40,
    },
  );
  const gapHist = histogramSvg(_samples.gaps, {
    title: `Rating gap, ${_samples.gaps.length} matches`,
    xLabel: 'rating points',
    bins: 40,
    color: '#d07a4a',
  });
  const xs = report.buckets_10s;
  const waitLine = lineChartSvg(
    [
      { name: 'wait p50', color: '#4a7bd0', points: xs.map((b) => [b.start_s, b.wait_p50_s]) },
      { name: 'wait p95', color: '#1b3d80', points: xs.map((b) => [b.start_s, b.wait_p95_s]) },
      { name: 'pairing→game p50', color: '#3aa35a', points: xs.map((b) => [b.start_s, b.pairing_to_game_p50_s]) },
      { name: 'pairing→game p95', color: '#1d5e30', points: xs.map((b) => [b.start_s, b.pairing_to_game_p95_s]) },
    ],
    {
      title: 'Join→pairing and pairing→game per 10-second bucket',
      xLabel: 'simulation time (s, bucket start)',
      yLabel: 'seconds',
    },
  );
  const gapLine = lineChartSvg(
    [
      { name: 'gap p50', color: '#d07a4a', points: xs.map((b) => [b.start_s, b.gap_p50]) },
      { name: 'gap p95', color: '#803a1b', points: xs.map((b) => [b.start_s, b.gap_p95]) },
    ],
    { title: 'Rating gap per 10-second bucket', xLabel: 'simulation time (s, bucket start)', yLabel: 'rating points' },
  );
  const rows = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(
        ([k, v]) =>
          `<tr><th>${k}</th><td>${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number)}</td></tr>`,
      )
      .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Matchmaking simulation</title>
<style>body{font-family:sans-serif;max-width:1340px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}.ok{color:#080}.bad{color:#c00;font-weight:bold}svg{margin:4px;border:1px solid #eee}</style></head><body>
<h1>Matchmaking simulation</h1><p>Generated ${report.generated_at}. Figures from the service's database after the run.</p>
<h2>Summary</h2><table>${rows({
    'matches (created / failed / pending)': `${report.matches.total} (${report.matches.created} / ${report.matches.failed} / ${report.matches.pending})`,
    'time to match s p50 / p95 / p99': `${report.time_to_match_s.p50} / ${report.time_to_match_s.p95} / ${report.time_to_match_s.p99}`,
    'pairing → game created s p50 / p95 / p99': `${report.pairing_to_game_s.p50} / ${report.pairing_to_game_s.p95} / ${report.pairing_to_game_s.p99}`,
    'rating gap p50 / p95 (mean)': `${report.rating_gap.p50} / ${report.rating_gap.p95} (${report.rating_gap.mean})`,
    'cross-region share': `${report.cross_region.cross_region} of ${report.cross_region.matches_with_both_regions} matches with both regions set`,
    timeouts: report.timeouts,
    'cancellations by users': report.cancellations.by_user,
    'entries by status': report.entries_by_status,
  })}</table>
<h2>Accounting identity: <span class="${report.identity.ok ? 'ok' : 'bad'}">${report.identity.ok ? 'holds' : 'FAILS'}</span></h2>
<table>${report.identity.checks.map((k) => `<tr><td class="${k.ok ? 'ok' : 'bad'}">${k.ok ? '✔' : '✘'}</td><th>${k.name}</th><td>${k.detail}</td></tr>`).join('')}</table>
<h2>Charts</h2><div>${waitHist}${gapHist}</div><div>${waitLine}${gapLine}</div>
<h2>Settings and driver counters</h2><table>${rows(report.settings)}</table><table>${rows(report.driver as unknown as Record<string, unknown>)}</table>
</body></html>`;
  fs.writeFileSync(path.join(REPORTS, 'simulation.html'), html);
  fs.writeFileSync(path.join(REPORTS, 'simulation.json'), JSON.stringify(json, null, 2));
  fs.writeFileSync(path.join(REPORTS, 'wait-histogram.svg'), waitHist);
  log(`wrote ${path.relative(process.cwd(), REPORTS)}/simulation.html, simulation.json, wait-histogram.svg`);
}

function printSummary(r: Report): void {
  const d = r.driver;
  console.log('\n# Simulation\n');
  console.log(
    `players ${r.settings.players}, ${r.settings.durationS} s, first arrivals ${Number(r.settings.arrivalRate).toFixed(1)}/s (Poisson), break mean ${r.settings.thinkS} s, ticks ${r.settings.matchTickMs} ms, queue timeout ${r.settings.queueTimeoutS} s`,
  );
  console.log(
    `joins: ${d.joinAttempts} attempts, ${d.accepted} accepted, ${d.activeGame409} × 409 ACTIVE_GAME_EXISTS (waited), ${d.alreadyInQueue409} × 409 ALREADY_IN_QUEUE, ${d.otherJoinErrors} other errors, ${d.httpErrors} transport errors`,
  );
  if (Object.keys(d.errorKinds).length)
    console.log(
      `errors by kind: ${Object.entries(d.errorKinds)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} × ${v}`)
        .join('; ')}`,
    );
  console.log(
    `watching: ${r.settings.watchMode}; ${d.polls} polls (${d.pollErrors} errors), ${d.streams} SSE streams; ${d.recoveredJoins} joins recovered after a lost answer`,
  );
  console.log(`cancel requests ${d.cancelRequests}: ${d.cancelled} cancelled, ${d.cancelTooLate} too late (409)`);
  console.log(
    `matches made: ${r.matches.total} (created ${r.matches.created}, failed ${r.matches.failed}, pending ${r.matches.pending}; ${r.matches.with_result} with a result)`,
  );
  console.log(
    `time to match (s): p50 ${r.time_to_match_s.p50}, p95 ${r.time_to_match_s.p95}, p99 ${r.time_to_match_s.p99}, max ${r.time_to_match_s.max}`,
  );
  console.log(
    `pairing → game created (s): p50 ${r.pairing_to_game_s.p50}, p95 ${r.pairing_to_game_s.p95}, p99 ${r.pairing_to_game_s.p99}`,
  );
  const sm = r.service_metrics;
  console.log(
    `service /metrics means: live-game call ${sm.game_creation_call.mean_ms} ms (${sm.game_creation_call.count}), ` +
      `tick ${sm.tick.mean_ms} ms (${sm.tick.count}), HTTP request (SSE streams excluded) ${sm.http_request.mean_ms} ms (${sm.http_request.count})`,
  );
  console.log(`rating gap: p50 ${r.rating_gap.p50}, p95 ${r.rating_gap.p95}, mean ${r.rating_gap.mean}`);
  console.log(
    `cross-region: ${r.cross_region.cross_region} of ${r.cross_region.matches_with_both_regions} matches whose players both had a region (${r.cross_region.share === null ? 'n/a' : (r.cross_region.share * 100).toFixed(1) + ' %'})`,
  );
  console.log(
    `timeouts: ${r.timeouts}; cancellations: ${r.cancellations.by_user} by users, ${r.cancellations.other} other`,
  );
  console.log(
    `entries by status: ${Object.entries(r.entries_by_status)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(`\naccounting identity: ${r.identity.ok ? 'holds' : 'FAILS'}`);
  for (const k of r.identity.checks) console.log(`  ${k.ok ? 'ok  ' : 'FAIL'} ${k.name}: ${k.detail}`);
}
