import { Client } from 'pg';
import { quantile, sortedNumbers } from '../support/harness';
import { Counters } from './client';
import { identityChecks, queryOn } from './identity';

/** The plain run's report, read from SQL after the run, plus means from the service's /metrics. */

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

export function serviceMetrics(text: string) {
  return {
    game_creation_call: histogramMean(text, 'matchmaking_game_creation_duration_seconds'),
    tick: histogramMean(text, 'matchmaking_tick_duration_seconds'),
    http_request: histogramMean(text, 'http_request_duration_seconds', /events/),
  };
}

export async function buildReport(
  pg: Client,
  dbStart: Date,
  stubUrl: string,
  c: Counters,
  metrics: ReturnType<typeof serviceMetrics>,
  settings: Record<string, number | string>,
) {
  const q = queryOn(pg);
  const { checks, statusCounts, games } = await identityChecks(q, stubUrl, c);

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
  const byFormat = await q<{ format: string; matches: number; players: number; mean_gap: number | null }>(
    `SELECT format, count(*)::int AS matches, (count(*) * 2 * split_part(format, 'v', 1)::int)::int AS players,
            round(avg(rating_gap)::numeric, 2)::float8 AS mean_gap
     FROM matches WHERE source = 'queue' GROUP BY format ORDER BY format`,
  );
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
    /** matches, players and mean rating gap (between team ratings for a team format) per format */
    by_format: byFormat,
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

export type Report = Awaited<ReturnType<typeof buildReport>>;
