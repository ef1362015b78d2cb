import { Injectable } from '@nestjs/common';
import {
  Database,
  MATCH_COLUMNS,
  MatchRecord,
  QUEUE_ENTRY_COLUMNS,
  QueueEntry,
  toMatch,
  toQueueEntry,
} from '@app/persistence';

export interface PoolSummaryRow {
  tenant_id: string;
  pool_key: string;
  waiting_count: number;
  tickets: number;
  avg_wait_seconds: number;
  p95_wait_seconds: number;
  oldest_wait_seconds: number;
  by_region: Record<string, number>;
  matches_last_5m: number;
  median_match_wait_seconds_5m: number | null;
  avg_rating_gap_5m: number | null;
  timeouts_last_5m: number;
}

/**
 * The summary in one statement: waiting figures from the SEARCHING entries, match figures from the
 * games created (status CREATED, by game_created_at) in the last 5 minutes, timeouts by ended_at, and
 * every (tenant, pool) with an entry change or a new match in the window listed even when empty.
 * `$1` null = every tenant.
 */
const SUMMARY = `
  WITH waiting AS (
    SELECT tenant_id, pool_key, coalesce(region, 'ANY') AS region,
           greatest(0, extract(epoch FROM (now() - enqueued_at)))::float8 AS wait_s,
           CASE WHEN format = '1v1' THEN 1
                ELSE (SELECT count(*) FROM ticket_members t WHERE t.entry_id = q.id AND t.open) END AS players
    FROM queue_entries q WHERE status = 'SEARCHING' AND ($1::text IS NULL OR tenant_id = $1)
  ), waits AS (
    SELECT tenant_id, pool_key, sum(players)::int AS waiting_count, count(*)::int AS tickets, avg(wait_s) AS avg_wait,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_s) AS p95_wait, max(wait_s) AS oldest_wait
    FROM waiting GROUP BY tenant_id, pool_key
  ), regions AS (
    SELECT tenant_id, pool_key, jsonb_object_agg(region, n) AS by_region
    FROM (SELECT tenant_id, pool_key, region, sum(players)::int AS n FROM waiting GROUP BY 1, 2, 3) r
    GROUP BY tenant_id, pool_key
  ), games AS (
    SELECT tenant_id, pool_key, count(*)::int AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY (white_wait_ms + black_wait_ms) / 2000.0) AS median_wait,
           avg(rating_gap)::float8 AS avg_gap
    FROM matches
    WHERE status = 'CREATED' AND game_created_at > now() - interval '5 minutes' AND ($1::text IS NULL OR tenant_id = $1)
    GROUP BY tenant_id, pool_key
  ), timeouts AS (
    SELECT tenant_id, pool_key, count(*)::int AS n FROM queue_entries
    WHERE status = 'TIMED_OUT' AND ended_at > now() - interval '5 minutes' AND ($1::text IS NULL OR tenant_id = $1)
    GROUP BY tenant_id, pool_key
  ), pools AS (
    SELECT tenant_id, pool_key FROM waits
    UNION SELECT tenant_id, pool_key FROM games
    UNION SELECT tenant_id, pool_key FROM timeouts
    UNION SELECT DISTINCT tenant_id, pool_key FROM queue_entries
      WHERE updated_at > now() - interval '5 minutes' AND ($1::text IS NULL OR tenant_id = $1)
    UNION SELECT DISTINCT tenant_id, pool_key FROM matches
      WHERE created_at > now() - interval '5 minutes' AND ($1::text IS NULL OR tenant_id = $1)
  )
  SELECT p.tenant_id, p.pool_key,
         coalesce(w.waiting_count, 0) AS waiting_count,
         coalesce(w.tickets, 0) AS tickets,
         round(coalesce(w.avg_wait, 0)::numeric, 3)::float8 AS avg_wait_seconds,
         round(coalesce(w.p95_wait, 0)::numeric, 3)::float8 AS p95_wait_seconds,
         round(coalesce(w.oldest_wait, 0)::numeric, 3)::float8 AS oldest_wait_seconds,
         coalesce(r.by_region, '{}'::jsonb) AS by_region,
         coalesce(g.n, 0) AS matches_last_5m,
         round(g.median_wait::numeric, 3)::float8 AS median_match_wait_seconds_5m,
         round(g.avg_gap::numeric, 2)::float8 AS avg_rating_gap_5m,
         coalesce(t.n, 0) AS timeouts_last_5m
  FROM pools p
  LEFT JOIN waits w USING (tenant_id, pool_key)
  LEFT JOIN regions r USING (tenant_id, pool_key)
  LEFT JOIN games g USING (tenant_id, pool_key)
  LEFT JOIN timeouts t USING (tenant_id, pool_key)
  ORDER BY p.tenant_id, p.pool_key`;

@Injectable()
export class AdminRepository {
  constructor(private readonly db: Database) {}

  async summary(tenantId: string | null): Promise<{ now: Date; pools: PoolSummaryRow[] }> {
    const [pools, clock] = await Promise.all([
      this.db.rows<PoolSummaryRow>(SUMMARY, [tenantId]),
      this.db.one<{ now: Date }>(`SELECT now() AS now`),
    ]);
    return { now: clock!.now, pools };
  }

  /** SEARCHING entries of one pool, longest waiter first. */
  async waiting(tenantId: string | null, poolKey: string, limit: number): Promise<QueueEntry[]> {
    const rows = await this.db.rows(
      `SELECT ${QUEUE_ENTRY_COLUMNS} FROM queue_entries
       WHERE pool_key = $1 AND status = 'SEARCHING' AND ($2::text IS NULL OR tenant_id = $2)
       ORDER BY enqueued_at, id LIMIT $3`,
      [poolKey, tenantId, limit],
    );
    return rows.map(toQueueEntry);
  }

  async recentMatches(tenantId: string | null, status: string | null, limit: number): Promise<MatchRecord[]> {
    const rows = await this.db.rows(
      `SELECT ${MATCH_COLUMNS} FROM matches
       WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [tenantId, status, limit],
    );
    return rows.map(toMatch);
  }
}
