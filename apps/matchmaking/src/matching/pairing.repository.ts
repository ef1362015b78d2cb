import { Injectable } from '@nestjs/common';
import type { WaitingPlayer } from '@app/core';
import { Database, MATCH_COLUMNS, MatchRecord, newId, Statement, toMatch } from '@app/persistence';
import type { PoolRef } from '../jobs/job-schedules.repository';

const RECENT_PAIRS: Statement = {
  name: 'tick_recent_pairs',
  text: `SELECT white_user_id AS w, black_user_id AS b FROM matches
         WHERE tenant_id = $1 AND white_user_id = ANY($3) AND black_user_id = ANY($3)
           AND ((status <> 'FAILED' AND created_at > now() - make_interval(secs => $2::int))
             OR (status = 'FAILED' AND failed_at > now() - make_interval(secs => $2::int)))`,
};

/**
 * The same window for every user of the tenant, through matches_by_tenant_recent and matches_failed_recent:
 * costs the matches made within the cooldown, however many players wait.
 */
const RECENT_PAIRS_OF_TENANT: Statement = {
  name: 'tick_recent_pairs_of_tenant',
  text: `SELECT white_user_id AS w, black_user_id AS b FROM matches
         WHERE tenant_id = $1 AND status <> 'FAILED' AND created_at > now() - make_interval(secs => $2::int)
         UNION ALL
         SELECT white_user_id, black_user_id FROM matches
         WHERE tenant_id = $1 AND status = 'FAILED' AND failed_at > now() - make_interval(secs => $2::int)`,
};

/**
 * Up to this many waiting users the cooldown probes their own matches (an index probe per user, cheap
 * for small pools of a busy tenant); above it the tenant's window is read whole, whatever the pool's size.
 */
export const COOLDOWN_PROBE_MAX_USERS = 1_000;

/**
 * SEARCHING → MATCHING with the match id, colour and opponent snapshot in the same row version: one
 * update of each claimed entry (a second pass over the same rows was a third of a 50,000-pair burst).
 */
const CLAIM: Statement = {
  name: 'tick_claim_sides',
  text: `UPDATE queue_entries q SET status = 'MATCHING', updated_at = now(), match_id = u.match, color = u.color,
           opponent = jsonb_build_object('user_id', u.opp, 'username', u.opp_name,
             'rating_snapshot', jsonb_build_object('time_control', $7::text, 'mode', $8::text, 'rating', u.opp_rating))
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
              AS u(entry, match, color, opp, opp_name, opp_rating)
         WHERE q.id = u.entry AND q.tenant_id = $9 AND q.status = 'SEARCHING' RETURNING q.id`,
};

/** A pair that lost a player to a racing cancel: its other entry waits again, as it was. */
const RELEASE: Statement = {
  name: 'tick_release',
  text: `UPDATE queue_entries SET status = 'SEARCHING', match_id = NULL, color = NULL, opponent = NULL
         WHERE id = ANY($1) AND status = 'MATCHING'`,
};

/**
 * The 1v1 tick's read: one row however many wait. Row by row, parsing a row object of every entry cost
 * more than PostgreSQL's scan (docs/performance.md): here the matcher's five columns arrive as JSON
 * arrays (one JSON.parse), the pool's constant columns once, and usernames and request ids are read
 * later for the paired entries only. Queue order (the matcher's tie-break order) spares the matcher
 * its sort by enqueue time; ids compare in "C" order, as JavaScript compares strings. The enqueue time
 * is whole microseconds from float arithmetic (extract's numeric cost more than the scan): µs / 1000 in
 * JavaScript is the same double as the exact milliseconds cast to float8.
 */
const SEARCHING: Statement = {
  name: 'tick_searching',
  text: `SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
           json_build_array(json_agg(id), json_agg(user_id), json_agg(rating), json_agg(region), json_agg(enqueued_us))
             AS columns,
           (SELECT json_build_array(time_control, mode, variant, category) FROM queue_entries
            WHERE tenant_id = $1 AND pool_key = $2 AND status = 'SEARCHING' LIMIT 1) AS pool
         FROM (SELECT id, user_id, rating, region, (date_part('epoch', enqueued_at) * 1000000)::int8 AS enqueued_us
               FROM queue_entries WHERE tenant_id = $1 AND pool_key = $2 AND status = 'SEARCHING'
               ORDER BY enqueued_at, id COLLATE "C") s`,
};

/**
 * The pool's entries written since a moment of the database clock (every write of an entry sets updated_at,
 * through queue_entries_recent_activity): each with whether it is SEARCHING now, in queue order. Unnamed, so
 * planned with the moment's value: a generic plan would guess a third of the table and scan it.
 */
const CHANGED_SINCE = `SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
    json_build_array(json_agg(id), json_agg(user_id), json_agg(rating), json_agg(region), json_agg(enqueued_us),
      json_agg(searching)) AS columns
  FROM (SELECT id, user_id, rating, region, (date_part('epoch', enqueued_at) * 1000000)::int8 AS enqueued_us,
               status = 'SEARCHING' AS searching
        FROM queue_entries WHERE updated_at > to_timestamp($3::float8 / 1000) AND tenant_id = $1 AND pool_key = $2
        ORDER BY enqueued_at, id COLLATE "C") s`;

const ENTRY_DETAILS: Statement = {
  name: 'tick_entry_details',
  text: `SELECT id, username, request_id FROM queue_entries WHERE id = ANY($1)`,
};

type Columns = [string[], string[], number[], (string | null)[], number[]];

/** Entries of a pool written since a given moment: `searching` still waiting, `changed` every one of them. */
export interface PoolChanges {
  nowMs: number;
  /** ids of every entry written since (the searching ones included) */
  changed: string[];
  /** those still SEARCHING, in queue order */
  searching: WaitingPlayer[];
}

/** A pool's SEARCHING entries at one instant of the database clock. */
export interface SearchingPool {
  nowMs: number;
  players: WaitingPlayer[];
  /** the pool's time control, mode, variant and category (null when nobody waits) */
  constants: Omit<PoolInfo, 'tenantId' | 'poolKey'> | null;
}

export interface EntryDetails {
  username: string | null;
  requestId: string | null;
}

/** A side of a pairing as the tick hands it over: the queue entry and the colour it drew. */
export interface PlannedSide {
  entryId: string;
  userId: string;
  username: string | null;
  rating: number;
  waitMs: number;
}

export interface PlannedMatch {
  white: PlannedSide;
  black: PlannedSide;
  region: string | null;
  requestId: string | null;
}

export interface PoolInfo {
  tenantId: string;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
}

/** The tick's side of the tables: who waits, who may not meet again yet, and the atomic claim of pairs. */
@Injectable()
export class PairingRepository {
  constructor(private readonly db: Database) {}

  async searching(pool: PoolRef): Promise<SearchingPool> {
    const row = await this.db.one<{ now_ms: number; columns: Columns | [null]; pool: string[] | null }>(SEARCHING, [
      pool.tenantId,
      pool.poolKey,
    ]);
    const [ids, userIds, ratings, regions, enqueuedUs] = row!.columns as Columns;
    const players: WaitingPlayer[] = new Array<WaitingPlayer>(ids?.length ?? 0);
    for (let i = 0; i < players.length; i++) {
      const enqueuedAt = enqueuedUs[i] / 1000;
      players[i] = { id: ids[i], userId: userIds[i], rating: ratings[i], region: regions[i], enqueuedAt };
    }
    const [timeControl, mode, variant, category] = row!.pool ?? [];
    return { nowMs: row!.now_ms, players, constants: row!.pool ? { timeControl, mode, variant, category } : null };
  }

  /** The pool's entries written after `sinceMs` (the database clock, as SearchingPool.nowMs). */
  async changedSince(pool: PoolRef, sinceMs: number): Promise<PoolChanges> {
    const row = await this.db.one<{ now_ms: number; columns: [...Columns, boolean[]] | [null] }>(CHANGED_SINCE, [
      pool.tenantId,
      pool.poolKey,
      sinceMs,
    ]);
    const [ids, userIds, ratings, regions, enqueuedUs, searching] = row!.columns as [...Columns, boolean[]];
    const players: WaitingPlayer[] = [];
    for (let i = 0; i < (ids?.length ?? 0); i++) {
      if (!searching[i]) continue;
      players.push({
        id: ids[i],
        userId: userIds[i],
        rating: ratings[i],
        region: regions[i],
        enqueuedAt: enqueuedUs[i] / 1000,
      });
    }
    return { nowMs: row!.now_ms, changed: ids ?? [], searching: players };
  }

  /** Usernames and request ids of the given entries (the paired ones: the tick's read leaves them out). */
  async details(entryIds: string[]): Promise<Map<string, EntryDetails>> {
    const rows = await this.db.rows<{ id: string; username: string | null; request_id: string | null }>(ENTRY_DETAILS, [
      entryIds,
    ]);
    return new Map(rows.map((r) => [r.id, { username: r.username, requestId: r.request_id }]));
  }

  /**
   * User pairs whose game was created, or whose match failed for good, within the cooldown: not paired
   * again yet. Above COOLDOWN_PROBE_MAX_USERS the answer also holds pairs of users who do not wait here;
   * the matcher only asks about pairs of waiting players, so exactly the same pairs are blocked.
   */
  async recentPairs(
    tenantId: string,
    userIds: readonly string[],
    cooldownSeconds: number,
  ): Promise<[string, string][]> {
    if (cooldownSeconds <= 0 || !userIds.length) return [];
    const rows =
      userIds.length > COOLDOWN_PROBE_MAX_USERS
        ? await this.db.rows<{ w: string; b: string }>(RECENT_PAIRS_OF_TENANT, [tenantId, cooldownSeconds])
        : await this.db.rows<{ w: string; b: string }>(RECENT_PAIRS, [
            tenantId,
            cooldownSeconds,
            [...new Set(userIds)],
          ]);
    return rows.map((r) => [r.w, r.b]);
  }

  /**
   * Claims pairs atomically: all chosen entries go SEARCHING → MATCHING in one conditional update;
   * a pair that lost a player to a racing cancel is released in the same transaction, so nobody is
   * ever in two matches and a cancelled player is never matched.
   */
  async claim(pool: PoolInfo, planned: PlannedMatch[]): Promise<MatchRecord[]> {
    if (!planned.length) return [];
    return this.db.transaction(async (tx) => {
      const matchIds = planned.map(() => newId('m'));
      const claimedRows = await tx.rows<{ id: string }>(CLAIM, claimParams(pool, planned, matchIds));
      const claimed = new Set(claimedRows.map((r) => r.id));
      const wonAt = planned.flatMap((p, k) =>
        claimed.has(p.white.entryId) && claimed.has(p.black.entryId) ? [k] : [],
      );
      const orphans = planned
        .filter((p) => claimed.has(p.white.entryId) !== claimed.has(p.black.entryId))
        .map((p) => (claimed.has(p.white.entryId) ? p.white.entryId : p.black.entryId));
      if (orphans.length) await tx.count(RELEASE, [orphans]);
      if (!wonAt.length) return [];
      const won = wonAt.map((k) => planned[k]);
      const col = <T>(f: (p: PlannedMatch) => T) => won.map(f);
      const rows = await tx.rows(
        `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category, region,
           white_user_id, black_user_id, white_username, black_username, white_rating, black_rating,
           white_entry_id, black_entry_id, white_wait_ms, black_wait_ms, rating_gap, request_id)
         SELECT u.id, $2, 'queue', 'PENDING', $3, $4, $5, $6, $7, u.region, u.wu, u.bu, u.wn, u.bn, u.wr, u.br,
                u.we, u.be, u.ww, u.bw, abs(u.wr - u.br), u.rq
         FROM unnest($1::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::int[],
                     $15::text[], $16::text[], $17::int[], $18::int[], $19::text[])
              AS u(id, region, wu, bu, wn, bn, wr, br, we, be, ww, bw, rq)
         RETURNING ${MATCH_COLUMNS}`,
        [
          wonAt.map((k) => matchIds[k]),
          pool.tenantId,
          pool.poolKey,
          pool.timeControl,
          pool.mode,
          pool.variant,
          pool.category,
          col((p) => p.region),
          col((p) => p.white.userId),
          col((p) => p.black.userId),
          col((p) => p.white.username),
          col((p) => p.black.username),
          col((p) => p.white.rating),
          col((p) => p.black.rating),
          col((p) => p.white.entryId),
          col((p) => p.black.entryId),
          col((p) => p.white.waitMs),
          col((p) => p.black.waitMs),
          col((p) => p.requestId),
        ],
      );
      return rows.map(toMatch);
    });
  }
}

/** Both sides of every planned match, column by column, for CLAIM: each entry with its opponent. */
function claimParams(pool: PoolInfo, planned: PlannedMatch[], matchIds: string[]): unknown[] {
  const sides = planned.flatMap((p, k) => [
    { self: p.white, opp: p.black, match: matchIds[k], color: 'white' },
    { self: p.black, opp: p.white, match: matchIds[k], color: 'black' },
  ]);
  return [
    sides.map((s) => s.self.entryId),
    sides.map((s) => s.match),
    sides.map((s) => s.color),
    sides.map((s) => s.opp.userId),
    sides.map((s) => s.opp.username),
    sides.map((s) => s.opp.rating),
    pool.timeControl,
    pool.mode,
    pool.tenantId,
  ];
}
