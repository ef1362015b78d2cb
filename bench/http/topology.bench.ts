import autocannon from 'autocannon';
import { Client } from 'pg';
import { envInt, log, scoped, scratchStores, SERVICE_MAIN, sleep, startNode, STUB_MAIN } from '../support/harness';
import { signToken } from '../support/tokens';
import { openLoop } from './open-loop';
import { fmt } from './report';
import { JWT_SECRET, serviceEnv } from './targets';

/**
 * ROLE=all against one ROLE=api plus one ROLE=worker process (SPEC §11 fairness, issue item 4): joins
 * into one pool where everyone is compatible, with the live-game stub creating games, so the ticks and
 * game creation compete with the HTTP path exactly as in production. Closed loop for joins/s, then a
 * fixed Poisson rate for latency and time to game, read from SQL (join of the later player → pairing,
 * and → game created).
 *
 * Env: BENCH_DURATION_S (10), BENCH_CONNECTIONS (50), BENCH_TOPOLOGY_RATE (300 joins/s).
 */

interface Phase {
  rps: number;
  p50: number;
  p99: number;
  p999?: number;
  non2xx: number;
  matches: number;
  games: number;
  matchP50: number;
  matchP99: number;
  gameP50: number;
  gameP99: number;
}

interface TopologyRow {
  topology: string;
  closed: Phase;
  open: Phase;
}

/** Game creation of the last pairs may lag the load; wait this long for it at most. */
const SETTLE_MS = 30_000;

async function settle(pg: Client, users: string): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (Date.now() < deadline) {
    const [{ n }] = (
      await pg.query(
        `SELECT count(*)::int AS n FROM matches m JOIN queue_entries w ON w.id = m.white_entry_id
         WHERE w.user_id LIKE $1 AND m.game_created_at IS NULL AND m.status <> 'FAILED'`,
        [`${users}%`],
      )
    ).rows;
    if (n === 0) return;
    await sleep(500);
  }
}

async function waits(pg: Client, users: string) {
  const { rows } = await pg.query(
    `WITH t AS (
       SELECT extract(epoch FROM m.created_at - greatest(w.enqueued_at, b.enqueued_at)) * 1000 AS to_match,
              extract(epoch FROM m.game_created_at - greatest(w.enqueued_at, b.enqueued_at)) * 1000 AS to_game
       FROM matches m JOIN queue_entries w ON w.id = m.white_entry_id JOIN queue_entries b ON b.id = m.black_entry_id
       WHERE w.user_id LIKE $1)
     SELECT count(*)::int AS matches, count(to_game)::int AS games,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY to_match) AS mp50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY to_match) AS mp99,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY to_game) AS gp50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY to_game) AS gp99
     FROM t`,
    [`${users}%`],
  );
  const r = rows[0];
  return {
    matches: r.matches,
    games: r.games,
    matchP50: Number(r.mp50),
    matchP99: Number(r.mp99),
    gameP50: Number(r.gp50),
    gameP99: Number(r.gp99),
  };
}

async function measureTopology(split: boolean, durationS: number, connections: number, rate: number) {
  return scoped(async (): Promise<TopologyRow> => {
    const scratch = await scratchStores('topo');
    const stub = await startNode(
      'live-game-stub',
      STUB_MAIN,
      { NODE_ENV: 'production' },
      {
        portVar: 'STUB_PORT',
        readyPath: '/control',
      },
    );
    const env = serviceEnv(scratch, { LIVE_GAME_API_URL: stub.url, ROLE: split ? 'api' : 'all' });
    const api = await startNode(split ? 'matchmaking-api' : 'matchmaking', SERVICE_MAIN, env);
    if (split) await startNode('matchmaking-worker', SERVICE_MAIN, { ...env, ROLE: 'worker' });
    const name = split ? 'api + worker' : 'ROLE=all';
    let i = 0;
    const next = (users: string) => ({
      auth: `Bearer ${signToken(JWT_SECRET, `${users}${i++}`)}`,
      body: JSON.stringify({ time_control: '5+0' }),
    });

    log(`  ${name}: closed loop ${durationS} s`);
    const c = await autocannon({
      url: api.url,
      connections,
      duration: durationS,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path: '/v1/matchmaking/queue',
          setupRequest: (req) => {
            const j = next('closed');
            return { ...req, headers: { authorization: j.auth, 'content-type': 'application/json' }, body: j.body };
          },
        },
      ],
    });
    await settle(scratch.pg, 'closed');
    const closed: Phase = {
      rps: c.requests.total / (c.duration || durationS),
      p50: c.latency.p50,
      p99: c.latency.p99,
      non2xx: c.non2xx,
      ...(await waits(scratch.pg, 'closed')),
    };

    log(`  ${name}: open loop ${rate} joins/s for ${durationS} s`);
    const o = await openLoop(api.url, rate, durationS, () => {
      const j = next('open');
      return { method: 'POST', path: '/v1/matchmaking/queue', headers: { authorization: j.auth }, body: j.body };
    });
    await settle(scratch.pg, 'open');
    const open: Phase = {
      rps: o.done,
      p50: o.p50,
      p99: o.p99,
      p999: o.p999,
      non2xx: o.non2xx + o.errors,
      ...(await waits(scratch.pg, 'open')),
    };
    return { topology: name, closed, open };
  });
}

export async function runTopologyBench(): Promise<void> {
  const durationS = envInt('BENCH_DURATION_S', 10);
  const connections = envInt('BENCH_CONNECTIONS', 50);
  const rate = envInt('BENCH_TOPOLOGY_RATE', 300);
  const rows = [
    await measureTopology(false, durationS, connections, rate),
    await measureTopology(true, durationS, connections, rate),
  ];
  console.log(
    `One pool, everyone compatible, live-game stub; closed loop ${connections} connections, open loop ${rate}/s.\n`,
  );
  console.log(
    '| topology | load | joins/s | p50 ms | p99 ms | p99.9 ms | non-2xx | matches | games | join→match p50/p99 ms | join→game p50/p99 ms |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of rows) {
    for (const [load, p] of [
      ['closed', r.closed],
      [`${rate}/s`, r.open],
    ] as const) {
      console.log(
        `| ${r.topology} | ${load} | ${fmt(p.rps)} | ${fmt(p.p50, 1)} | ${fmt(p.p99, 1)} | ${fmt(p.p999 ?? NaN, 1)} | ` +
          `${fmt(p.non2xx)} | ${fmt(p.matches)} | ${fmt(p.games)} | ${fmt(p.matchP50)} / ${fmt(p.matchP99)} | ` +
          `${fmt(p.gameP50)} / ${fmt(p.gameP99)} |`,
      );
    }
  }
  const [all, splitRow] = rows;
  console.log(
    `\nROLE=all closed-loop joins/s: ${fmt((all.closed.rps / splitRow.closed.rps) * 100, 1)} % of api + worker; ` +
      `SPEC §11 join → MATCHING < 1 s (p99 at ${rate}/s): ROLE=all ${all.open.matchP99 < 1000 ? 'met' : 'NOT met'}, ` +
      `api + worker ${splitRow.open.matchP99 < 1000 ? 'met' : 'NOT met'}`,
  );
}
