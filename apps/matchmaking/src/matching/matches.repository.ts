import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { GameResult, MatchStatus, newId } from '@app/persistence';

export interface MatchRecord {
  id: string;
  tenantId: string;
  source: 'queue' | 'challenge';
  status: MatchStatus;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  region: string | null;
  whiteUserId: string;
  blackUserId: string;
  whiteUsername: string | null;
  blackUsername: string | null;
  whiteRating: number;
  blackRating: number;
  whiteEntryId: string | null;
  blackEntryId: string | null;
  whiteWaitMs: number;
  blackWaitMs: number;
  ratingGap: number;
  challengeId: string | null;
  gameId: string | null;
  attempts: number;
  lastError: string | null;
  result: GameResult | null;
  resultAt: Date | null;
  requestId: string | null;
  createdAt: Date;
  gameCreatedAt: Date | null;
}

export function toMatch(r: Record<string, any>): MatchRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    source: r.source,
    status: r.status,
    poolKey: r.pool_key,
    timeControl: r.time_control,
    mode: r.mode,
    variant: r.variant,
    category: r.category,
    region: r.region,
    whiteUserId: r.white_user_id,
    blackUserId: r.black_user_id,
    whiteUsername: r.white_username,
    blackUsername: r.black_username,
    whiteRating: r.white_rating,
    blackRating: r.black_rating,
    whiteEntryId: r.white_entry_id,
    blackEntryId: r.black_entry_id,
    whiteWaitMs: r.white_wait_ms,
    blackWaitMs: r.black_wait_ms,
    ratingGap: r.rating_gap,
    challengeId: r.challenge_id,
    gameId: r.game_id,
    attempts: r.attempts,
    lastError: r.last_error,
    result: r.result,
    resultAt: r.result_at,
    requestId: r.request_id,
    createdAt: r.created_at,
    gameCreatedAt: r.game_created_at,
  };
}

/**
 * The user's last match (white or black, not FAILED) if it has no result and its game may still be
 * running: started less than 2 × (60·M + 40·I) + 60 seconds ago. Shared by the join's insert.
 */
export function unfinishedGameSql(tenantParam: string, userParam: string): string {
  return `SELECT * FROM (
      SELECT * FROM (
        (SELECT * FROM matches WHERE tenant_id = ${tenantParam} AND white_user_id = ${userParam} AND status <> 'FAILED'
         ORDER BY created_at DESC LIMIT 1)
        UNION ALL
        (SELECT * FROM matches WHERE tenant_id = ${tenantParam} AND black_user_id = ${userParam} AND status <> 'FAILED'
         ORDER BY created_at DESC LIMIT 1)
      ) both_colours ORDER BY created_at DESC LIMIT 1
    ) last
    WHERE last.result IS NULL
      AND coalesce(last.game_created_at, last.created_at) > now() - make_interval(secs =>
        2 * (60 * split_part(last.time_control, '+', 1)::int + 40 * split_part(last.time_control, '+', 2)::int) + 60)`;
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

/** A match made by an accepted challenge: no queue entries, no waits, no region. */
export interface ChallengeMatch {
  tenantId: string;
  challengeId: string;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  white: { userId: string; username: string | null; rating: number };
  black: { userId: string; username: string | null; rating: number };
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

@Injectable()
export class MatchesRepository {
  constructor(private readonly db: DataSource) {}

  async find(id: string, manager: EntityManager = this.db.manager): Promise<MatchRecord | null> {
    const [row] = await manager.query(`SELECT * FROM matches WHERE id = $1`, [id]);
    return row ? toMatch(row) : null;
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
      const [claimedRows] = await tx.query(
        `UPDATE queue_entries SET status = 'MATCHING', updated_at = now()
         WHERE id = ANY($1) AND tenant_id = $2 AND status = 'SEARCHING' RETURNING id`,
        [ids, pool.tenantId],
      );
      const claimed = new Set<string>(claimedRows.map((r: { id: string }) => r.id));
      const won = planned.filter((p) => claimed.has(p.white.entryId) && claimed.has(p.black.entryId));
      const orphans = planned
        .filter((p) => claimed.has(p.white.entryId) !== claimed.has(p.black.entryId))
        .map((p) => (claimed.has(p.white.entryId) ? p.white.entryId : p.black.entryId));
      if (orphans.length) {
        await tx.query(`UPDATE queue_entries SET status = 'SEARCHING' WHERE id = ANY($1)`, [orphans]);
      }
      if (!won.length) return [];
      const matchIds = won.map(() => newId('m'));
      const col = <T>(f: (p: PlannedMatch) => T) => won.map(f);
      const rows = await tx.query(
        `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category, region,
           white_user_id, black_user_id, white_username, black_username, white_rating, black_rating,
           white_entry_id, black_entry_id, white_wait_ms, black_wait_ms, rating_gap, request_id)
         SELECT u.id, $2, 'queue', 'PENDING', $3, $4, $5, $6, $7, u.region, u.wu, u.bu, u.wn, u.bn, u.wr, u.br,
                u.we, u.be, u.ww, u.bw, abs(u.wr - u.br), u.rq
         FROM unnest($1::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::int[],
                     $15::text[], $16::text[], $17::int[], $18::int[], $19::text[])
              AS u(id, region, wu, bu, wn, bn, wr, br, we, be, ww, bw, rq)
         RETURNING *`,
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
      await this.attachEntries(tx, pool, rows.map(toMatch));
      return rows.map(toMatch);
    });
  }

  /** Inserts the match of an accepted challenge inside the accepting transaction. */
  async insertChallengeMatch(tx: EntityManager, m: ChallengeMatch): Promise<MatchRecord> {
    const [row] = await tx.query(
      `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category, region,
         white_user_id, black_user_id, white_username, black_username, white_rating, black_rating,
         white_entry_id, black_entry_id, white_wait_ms, black_wait_ms, rating_gap, challenge_id, request_id)
       VALUES ($1, $2, 'challenge', 'PENDING', $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12::int, $13::int,
         NULL, NULL, 0, 0, abs($12::int - $13::int), $14, $15)
       RETURNING *`,
      [
        newId('m'),
        m.tenantId,
        m.poolKey,
        m.timeControl,
        m.mode,
        m.variant,
        m.category,
        m.white.userId,
        m.black.userId,
        m.white.username,
        m.black.username,
        m.white.rating,
        m.black.rating,
        m.challengeId,
        m.requestId,
      ],
    );
    return toMatch(row);
  }

  /** Writes match_id, colour and the opponent snapshot onto both queue entries of each match. */
  private async attachEntries(tx: EntityManager, pool: PoolInfo, matches: MatchRecord[]): Promise<void> {
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
    await tx.query(
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

  /** Whites and games of each user over their recent created games, for the colour rule. */
  async colorHistory(
    tenantId: string,
    userIds: string[],
    recent = 20,
  ): Promise<Map<string, { whites: number; games: number }>> {
    const rows: { user_id: string; whites: number; games: number }[] = await this.db.query(
      `SELECT u.user_id, count(*) FILTER (WHERE g.white_user_id = u.user_id)::int AS whites, count(g.id)::int AS games
       FROM unnest($2::text[]) AS u(user_id)
       CROSS JOIN LATERAL (
         SELECT id, white_user_id FROM matches
         WHERE tenant_id = $1 AND (white_user_id = u.user_id OR black_user_id = u.user_id) AND status <> 'FAILED'
         ORDER BY created_at DESC LIMIT $3) g
       GROUP BY u.user_id`,
      [tenantId, userIds, recent],
    );
    return new Map(rows.map((r) => [r.user_id, { whites: r.whites, games: r.games }]));
  }

  /** User pairs whose game was created within the cooldown: not paired again yet. */
  async recentPairs(tenantId: string, userIds: string[], cooldownSeconds: number): Promise<[string, string][]> {
    if (cooldownSeconds <= 0 || !userIds.length) return [];
    const rows: { w: string; b: string }[] = await this.db.query(
      `SELECT white_user_id AS w, black_user_id AS b FROM matches
       WHERE tenant_id = $1 AND created_at > now() - make_interval(secs => $2::int) AND status <> 'FAILED'
         AND white_user_id = ANY($3) AND black_user_id = ANY($3)`,
      [tenantId, cooldownSeconds, userIds],
    );
    return rows.map((r) => [r.w, r.b]);
  }

  /** Counts one more attempt and returns the match, or null when it is no longer PENDING. */
  async beginAttempt(id: string): Promise<MatchRecord | null> {
    const [rows] = await this.db.query(
      `UPDATE matches SET attempts = attempts + 1, updated_at = now() WHERE id = $1 AND status = 'PENDING' RETURNING *`,
      [id],
    );
    return rows.length ? toMatch(rows[0]) : null;
  }

  async noteError(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE matches SET last_error = $2, updated_at = now() WHERE id = $1`, [
      id,
      error.slice(0, 1000),
    ]);
  }

  /** PENDING → CREATED and both entries MATCHING → MATCHED with the game id, in one transaction. */
  async markCreated(id: string, gameId: string): Promise<{ match: MatchRecord; entryIds: string[] } | null> {
    return this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        `UPDATE matches SET status = 'CREATED', game_id = $2, game_created_at = now(), last_error = NULL, updated_at = now()
         WHERE id = $1 AND status = 'PENDING' RETURNING *`,
        [id, gameId],
      );
      if (!rows.length) return null;
      const [entries] = await tx.query(
        `UPDATE queue_entries SET status = 'MATCHED', game_id = $2, updated_at = now()
         WHERE match_id = $1 AND status = 'MATCHING' RETURNING id`,
        [id, gameId],
      );
      return { match: toMatch(rows[0]), entryIds: entries.map((e: { id: string }) => e.id) };
    });
  }

  /**
   * PENDING → FAILED; both entries go back to SEARCHING with their original enqueued_at (so they keep
   * their priority) and at least a full queue timeout ahead of them.
   */
  async markFailed(
    id: string,
    error: string,
    timeoutSeconds: number,
  ): Promise<{ match: MatchRecord; entryIds: string[] } | null> {
    return this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        `UPDATE matches SET status = 'FAILED', last_error = $2, updated_at = now()
         WHERE id = $1 AND status = 'PENDING' RETURNING *`,
        [id, error.slice(0, 1000)],
      );
      if (!rows.length) return null;
      const [entries] = await tx.query(
        `UPDATE queue_entries SET status = 'SEARCHING', match_id = NULL, color = NULL, opponent = NULL,
           expires_at = greatest(expires_at, now() + make_interval(secs => $2::int)), updated_at = now()
         WHERE match_id = $1 AND status = 'MATCHING' RETURNING id`,
        [id, timeoutSeconds],
      );
      return { match: toMatch(rows[0]), entryIds: entries.map((e: { id: string }) => e.id) };
    });
  }

  async pendingOlderThan(seconds: number, limit = 200): Promise<MatchRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM matches WHERE status = 'PENDING' AND created_at < now() - make_interval(secs => $1::int)
       ORDER BY created_at LIMIT $2`,
      [seconds, limit],
    );
    return rows.map(toMatch);
  }

  /** The user's last game if it has no result and may still be running. */
  async unfinishedGameOf(
    tenantId: string,
    userId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<MatchRecord | null> {
    const [row] = await manager.query(unfinishedGameSql('$1', '$2'), [tenantId, userId]);
    return row ? toMatch(row) : null;
  }

  async recordResult(
    gameId: string,
    tenantId: string | null,
    result: GameResult,
    manager: EntityManager,
  ): Promise<{ match: MatchRecord; recorded: boolean } | null> {
    const [rows] = await manager.query(
      `UPDATE matches SET result = $3, result_at = now(), updated_at = now()
       WHERE game_id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND result IS NULL RETURNING *`,
      [gameId, tenantId, result],
    );
    if (rows.length) return { match: toMatch(rows[0]), recorded: true };
    const [existing] = await manager.query(
      `SELECT * FROM matches WHERE game_id = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
      [gameId, tenantId],
    );
    return existing ? { match: toMatch(existing), recorded: false } : null;
  }
}
