import { Injectable } from '@nestjs/common';
import { Database, MATCH_COLUMNS, MatchRecord, newId, Sql, Statement, toMatch } from '@app/persistence';
import type { PoolRef } from '../jobs/job-schedules.repository';

/** A SEARCHING entry as the tick reads it, with the database clock. */
export interface WaitingRow {
  id: string;
  user_id: string;
  username: string | null;
  rating: number;
  region: string | null;
  enqueued_ms: number;
  now_ms: number;
  time_control: string;
  mode: string;
  variant: string;
  category: string;
  request_id: string | null;
}

const RECENT_PAIRS: Statement = {
  name: 'tick_recent_pairs',
  text: `SELECT white_user_id AS w, black_user_id AS b FROM matches
         WHERE tenant_id = $1 AND white_user_id = ANY($3) AND black_user_id = ANY($3)
           AND ((status <> 'FAILED' AND created_at > now() - make_interval(secs => $2::int))
             OR (status = 'FAILED' AND failed_at > now() - make_interval(secs => $2::int)))`,
};

const CLAIM: Statement = {
  name: 'tick_claim',
  text: `UPDATE queue_entries SET status = 'MATCHING', updated_at = now()
         WHERE id = ANY($1) AND tenant_id = $2 AND status = 'SEARCHING' RETURNING id`,
};

const WAITING: Statement = {
  name: 'tick_waiting',
  text: `SELECT id, user_id, username, rating, region, time_control, mode, variant, category, request_id,
           (extract(epoch FROM enqueued_at) * 1000)::float8 AS enqueued_ms,
           (extract(epoch FROM now()) * 1000)::float8 AS now_ms
         FROM queue_entries WHERE tenant_id = $1 AND pool_key = $2 AND status = 'SEARCHING'`,
};

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

  async waiting(pool: PoolRef): Promise<WaitingRow[]> {
    return this.db.rows<WaitingRow>(WAITING, [pool.tenantId, pool.poolKey]);
  }

  /** User pairs whose game was created, or whose match failed for good, within the cooldown: not paired again yet. */
  async recentPairs(tenantId: string, userIds: string[], cooldownSeconds: number): Promise<[string, string][]> {
    if (cooldownSeconds <= 0 || !userIds.length) return [];
    const rows = await this.db.rows<{ w: string; b: string }>(RECENT_PAIRS, [tenantId, cooldownSeconds, userIds]);
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
      const ids = planned.flatMap((p) => [p.white.entryId, p.black.entryId]);
      const claimedRows = await tx.rows<{ id: string }>(CLAIM, [ids, pool.tenantId]);
      const claimed = new Set(claimedRows.map((r) => r.id));
      const won = planned.filter((p) => claimed.has(p.white.entryId) && claimed.has(p.black.entryId));
      const orphans = planned
        .filter((p) => claimed.has(p.white.entryId) !== claimed.has(p.black.entryId))
        .map((p) => (claimed.has(p.white.entryId) ? p.white.entryId : p.black.entryId));
      if (orphans.length) {
        await tx.count(`UPDATE queue_entries SET status = 'SEARCHING' WHERE id = ANY($1)`, [orphans]);
      }
      if (!won.length) return [];
      const matchIds = won.map(() => newId('m'));
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
          matchIds,
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
      const matches = rows.map(toMatch);
      await this.attachEntries(tx, pool, matches);
      return matches;
    });
  }

  /** Writes match_id, colour and the opponent snapshot onto both queue entries of each match. */
  private async attachEntries(tx: Sql, pool: PoolInfo, matches: MatchRecord[]): Promise<void> {
    const sides = matches.flatMap((m) => [
      {
        entry: m.whiteEntryId!,
        match: m.id,
        color: 'white',
        opp: m.blackUserId,
        oppName: m.blackUsername,
        oppRating: m.blackRating,
      },
      {
        entry: m.blackEntryId!,
        match: m.id,
        color: 'black',
        opp: m.whiteUserId,
        oppName: m.whiteUsername,
        oppRating: m.whiteRating,
      },
    ]);
    await tx.count(
      `UPDATE queue_entries q SET match_id = u.match, color = u.color,
         opponent = jsonb_build_object('user_id', u.opp, 'username', u.opp_name,
           'rating_snapshot', jsonb_build_object('time_control', $6::text, 'mode', $7::text, 'rating', u.opp_rating))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $8::int[])
            AS u(entry, match, color, opp, opp_name, opp_rating)
       WHERE q.id = u.entry`,
      [
        sides.map((s) => s.entry),
        sides.map((s) => s.match),
        sides.map((s) => s.color),
        sides.map((s) => s.opp),
        sides.map((s) => s.oppName),
        pool.timeControl,
        pool.mode,
        sides.map((s) => s.oppRating),
      ],
    );
  }
}
