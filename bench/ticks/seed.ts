import { Client } from 'pg';

/** Waiting players written straight into queue_entries with SQL, as joins would have left them. */

export const BENCH_TENANT = 'default';
export const TIME_CONTROL = '5+0';
export const POOL_KEY = `standard_${TIME_CONTROL}_rated`;
export const TEAM_FORMAT = '2v2';
export const TEAM_POOL_KEY = `${POOL_KEY}_${TEAM_FORMAT}`;

/** Far enough apart that no window ever spans two of them (windows stop at RATING_WINDOW_MAX). */
export const apart = (windowMax: number) => 2 * windowMax + 1;

/** Waits spread evenly over `fromS`…`toS` seconds, in an order unrelated to the rows' ratings. */
export const waitsBetween = (fromS: number, toS: number) => `${fromS} + ${toS - fromS} * random()`;

/**
 * `count` SEARCHING entries in one pool, user ids `${users}${first + k}`; `rating` and `ageS` (seconds
 * since it was enqueued and last written; 0 unless given) are SQL expressions of g, the 1-based row. Each
 * has a request id of a join's length (a UUID), as every join stores one.
 */
export async function seedPool(
  pg: Client,
  o: { pool: string; users: string; first?: number; count: number; rating: string; ageS?: string; format?: string },
): Promise<void> {
  const first = o.first ?? 0;
  const format = o.format ?? '1v1';
  // a team pool's solo tickets: the insert trigger gives each its ticket_members row
  await pg.query(
    `INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
       format, region, rating, status, enqueued_at, updated_at, expires_at, estimated_wait_seconds, request_id)
     SELECT 'qb' || md5($2 || ($5::int + g)), $1, $2 || ($5::int + g), $2 || ($5::int + g), $3, '${TIME_CONTROL}', 'rated',
            'standard', $6, $7, NULL, round(${o.rating})::int, 'SEARCHING', at, at, now() + interval '1 day', 1,
            gen_random_uuid()::text
     FROM (SELECT g, now() - make_interval(secs => ${o.ageS ?? '0'}) AS at FROM generate_series(1, $4::int) g) s`,
    [BENCH_TENANT, o.users, o.pool, o.count, first, format === '1v1' ? 'blitz' : 'team_blitz', format],
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
  // ticket_members has no foreign key to queue_entries: a stale open member would stand for a new entry of the same id
  await pg.query(`TRUNCATE queue_entries, ticket_members, matches CASCADE`);
  await pg.query(`ANALYZE queue_entries`);
}
