import { Client } from 'pg';

/** Waiting players written straight into queue_entries with SQL, as joins would have left them. */

export const BENCH_TENANT = 'default';
export const TIME_CONTROL = '5+0';
export const POOL_KEY = `standard_${TIME_CONTROL}_rated`;

/** Far enough apart that no window ever spans two of them (windows stop at RATING_WINDOW_MAX). */
export const apart = (windowMax: number) => 2 * windowMax + 1;

/** Waits spread evenly over `fromS`…`toS` seconds, in an order unrelated to the rows' ratings. */
export const waitsBetween = (fromS: number, toS: number) => `${fromS} + ${toS - fromS} * random()`;

/**
 * `count` SEARCHING entries in one pool, user ids `${users}${first + k}`; `rating` and `ageS` (seconds
 * since it was enqueued and last written; 0 unless given) are SQL expressions of g, the 1-based row.
 */
export async function seedPool(
  pg: Client,
  o: { pool: string; users: string; first?: number; count: number; rating: string; ageS?: string },
): Promise<void> {
  const first = o.first ?? 0;
  await pg.query(
    `INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
       region, rating, status, enqueued_at, updated_at, expires_at, estimated_wait_seconds)
     SELECT 'qb' || md5($2 || ($5::int + g)), $1, $2 || ($5::int + g), $2 || ($5::int + g), $3, '${TIME_CONTROL}', 'rated',
            'standard', 'blitz', NULL, round(${o.rating})::int, 'SEARCHING', at, at, now() + interval '1 day', 1
     FROM (SELECT g, now() - make_interval(secs => ${o.ageS ?? '0'}) AS at FROM generate_series(1, $4::int) g) s`,
    [BENCH_TENANT, o.users, o.pool, o.count, first],
  );
}

/** Two players per pool, `gap` rating points apart, in `pools` pools at once (one tenant `pool<p>` each). */
export async function seedPairsOfStrangers(pg: Client, pools: number, gap: number): Promise<void> {
  await pg.query(
    `INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
       region, rating, status, enqueued_at, expires_at, estimated_wait_seconds)
     SELECT 'qp' || p || '_' || s, 'pool' || p, 'u' || s, NULL, $1, '${TIME_CONTROL}', 'rated', 'standard',
            'blitz', NULL, 1000 + s * $3::int, 'SEARCHING', now(), now() + interval '1 day', 1
     FROM generate_series(1, $2::int) p, generate_series(0, 1) s`,
    [POOL_KEY, pools, gap],
  );
}

export async function emptyTables(pg: Client): Promise<void> {
  await pg.query(`TRUNCATE queue_entries, matches CASCADE`);
  await pg.query(`ANALYZE queue_entries`);
}
