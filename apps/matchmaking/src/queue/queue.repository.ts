import { Injectable } from '@nestjs/common';
import { isTeamFormat } from '@app/core';
import {
  Database,
  DEFAULT_RATING,
  isUniqueViolation,
  MatchRecord,
  newId,
  QUEUE_ENTRY_1V1_COLUMNS,
  QUEUE_ENTRY_COLUMNS,
  QUEUE_ENTRY_VIEW_JSON_COLUMNS,
  QueueEntryView,
  fromQueueEntryViewJson,
  QueueEntry,
  Sql,
  Statement,
  toMatch,
  toQueueEntry,
  unfinishedGameSql,
} from '@app/persistence';

export interface NewQueueEntry {
  tenantId: string;
  userId: string;
  username: string | null;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  region: string | null;
  timeoutSeconds: number;
  clientMetadata: Record<string, unknown> | null;
  requestId: string | null;
  /** ± points within which a waiting player counts as a likely opponent for the wait estimate. */
  nearWindow: number;
  /** Refuse while the user's last game may still be running (ACTIVE_GAME_CHECK). */
  refuseDuringGame: boolean;
}

export type InsertResult = { entry: QueueEntry } | { existingId: string } | { activeGame: MatchRecord };

/** The wait estimate's sample: the pool's recent matches near the player's rating. */
const ESTIMATE = {
  /** Older matches say little about who is online now. */
  lookbackMinutes: 30,
  /** Enough matches for a stable median, few enough to stay cheap on the join path. */
  sampleMatches: 200,
  /** ± rating points of the players whose waits count. */
  ratingBand: 200,
};

/**
 * The median wait of the pool's recent matches near the player's rating: a subquery of the CASE branch that
 * needs it, so a join with a likely opponent waiting (a busy pool) does not run it.
 */
const RECENT_MEDIAN_S = `SELECT ceil(percentile_cont(0.5) WITHIN GROUP (ORDER BY (m.white_wait_ms + m.black_wait_ms) / 2) / 1000.0)::int
           FROM (SELECT white_wait_ms, black_wait_ms, white_rating, black_rating FROM matches
                 WHERE tenant_id = $2 AND pool_key = $5 AND source = 'queue' AND status <> 'FAILED'
                   AND created_at > now() - make_interval(mins => $18::int)
                 ORDER BY created_at DESC LIMIT $19::int) m
           WHERE abs((m.white_rating + m.black_rating) / 2 - r.rating) <= $20::int`;

const joinSql = (busy: string) => `WITH r AS (
           SELECT COALESCE((SELECT round(rating)::int FROM player_ratings
                            WHERE tenant_id = $2 AND user_id = $3 AND category = $9), $14::int) AS rating
         ), near AS (
           SELECT EXISTS (SELECT 1 FROM queue_entries q, r
                          WHERE q.tenant_id = $2 AND q.pool_key = $5 AND q.status = 'SEARCHING'
                            AND q.rating BETWEEN r.rating - $15::int AND r.rating + $15::int
                            AND q.user_id <> $3) AS nearby
         ), busy AS (
           SELECT ${busy} AS in_game
         )
         INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
           region, rating, status, enqueued_at, expires_at, estimated_wait_seconds, client_metadata, request_id)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, r.rating, 'SEARCHING', now(),
                now() + make_interval(secs => $11::int),
                least($11::int, CASE WHEN near.nearby THEN $16::int ELSE COALESCE((${RECENT_MEDIAN_S}), $17::int) END),
                $12::jsonb, $13
         FROM r, near, busy
         WHERE NOT busy.in_game
         ON CONFLICT (tenant_id, user_id) WHERE status IN ('SEARCHING', 'MATCHING') DO NOTHING
         RETURNING ${QUEUE_ENTRY_1V1_COLUMNS}`;

/**
 * Prepared once per connection: the join is the hottest statement of the service. Its row is always a
 * 1v1 entry (format's default), so it returns QUEUE_ENTRY_1V1_COLUMNS, without the team subqueries.
 */
const JOIN: Statement = { name: 'queue_join', text: joinSql('false') };
const JOIN_CHECKING_GAMES: Statement = {
  name: 'queue_join_checking_games',
  text: joinSql(`EXISTS (${unfinishedGameSql('$2', '$3')})`),
};

/**
 * The status read is the most frequent request of all, and nearly always of a 1v1 entry: it reads the
 * entry's own columns only (the team subqueries' start-up doubled its PostgreSQL CPU), as one json column,
 * and a team ticket is read again whole (TICKET_READ).
 */
const STATUS_READ: Statement = {
  name: 'queue_status',
  text: `SELECT row_to_json(v) AS view
         FROM (SELECT ${QUEUE_ENTRY_VIEW_JSON_COLUMNS} FROM queue_entries WHERE id = $1 AND tenant_id = $2 AND user_id = $3) v`,
};
const TICKET_READ: Statement = {
  name: 'queue_ticket',
  text: `SELECT ${QUEUE_ENTRY_COLUMNS} FROM queue_entries WHERE id = $1`,
};
/** A team ticket read by one of its members who is not its user (the leader): only when STATUS_READ misses. */
const MEMBER_STATUS_READ: Statement = {
  name: 'queue_member_status',
  text: `SELECT ${QUEUE_ENTRY_COLUMNS} FROM queue_entries
         WHERE id = $1 AND tenant_id = $2
           AND EXISTS (SELECT 1 FROM ticket_members t WHERE t.entry_id = $1 AND t.user_id = $3)`,
};
/** Through ticket_members, so it finds the user's own entry and a party ticket they are a member of alike. */
const OPEN_ENTRY: Statement = {
  name: 'queue_open_ticket',
  text: `SELECT ${QUEUE_ENTRY_COLUMNS} FROM queue_entries
         WHERE id = (SELECT entry_id FROM ticket_members WHERE tenant_id = $1 AND user_id = $2 AND open)
           AND tenant_id = $1`,
};

@Injectable()
export class QueueRepository {
  constructor(private readonly db: Database) {}

  /**
   * One round trip on the hot path: refuses while the user's last game may still run, reads the
   * player's rating in the pool's category, estimates the wait, and inserts. The partial unique index
   * turns a second open entry into "nothing inserted", which is how 50 simultaneous joins produce
   * exactly one entry; only when nothing was inserted does a second query say why.
   *
   * The estimate: a likely opponent already waiting means the next tick; otherwise the median wait of
   * the pool's recent matches near the player's rating (ESTIMATE); otherwise `fallbackSeconds`.
   */
  async insertSearching(e: NewQueueEntry, tickSeconds: number, fallbackSeconds: number): Promise<InsertResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const rows = await this.join(e, tickSeconds, fallbackSeconds);
      if (rows.length) return { entry: toQueueEntry(rows[0]) };
      if (e.refuseDuringGame) {
        const game = await this.db.one(unfinishedGameSql('$1', '$2'), [e.tenantId, e.userId]);
        if (game) return { activeGame: toMatch(game) };
      }
      const open = await this.findOpen(e.tenantId, e.userId);
      if (open) return { existingId: open.id };
    }
    throw new Error('queue insert kept conflicting with an entry that was no longer open');
  }

  /**
   * The insert; nothing when the user has an open entry of their own. A member of an open party ticket
   * has none, so the insert goes ahead and the trigger's ticket_members row breaks the one-open-ticket
   * index: that unique violation is the same "already queued" answer.
   */
  private async join(e: NewQueueEntry, tickSeconds: number, fallbackSeconds: number): Promise<Record<string, any>[]> {
    try {
      return await this.db.rows(e.refuseDuringGame ? JOIN_CHECKING_GAMES : JOIN, [
        newId('q'),
        e.tenantId,
        e.userId,
        e.username,
        e.poolKey,
        e.timeControl,
        e.mode,
        e.variant,
        e.category,
        e.region,
        e.timeoutSeconds,
        e.clientMetadata === null ? null : JSON.stringify(e.clientMetadata),
        e.requestId,
        DEFAULT_RATING,
        e.nearWindow,
        tickSeconds,
        fallbackSeconds,
        ESTIMATE.lookbackMinutes,
        ESTIMATE.sampleMatches,
        ESTIMATE.ratingBand,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) return [];
      throw error;
    }
  }

  async findOpen(tenantId: string, userId: string): Promise<QueueEntry | null> {
    const row = await this.db.one(OPEN_ENTRY, [tenantId, userId]);
    return row ? toQueueEntry(row) : null;
  }

  /** The owner's read of a 1v1 entry is one prepared statement; a ticket's other members fall back. */
  async findForUser(tenantId: string, userId: string, id: string): Promise<QueueEntryView | null> {
    const own = (await this.db.one(STATUS_READ, [id, tenantId, userId]))?.view;
    if (own && !isTeamFormat(own.format)) return fromQueueEntryViewJson(own);
    const row =
      own === undefined
        ? await this.db.one(MEMBER_STATUS_READ, [id, tenantId, userId])
        : await this.db.one(TICKET_READ, [id]);
    return row ? toQueueEntry(row) : null;
  }

  /** Tenant null = any tenant (the internal API key). */
  async findInScope(tenantId: string | null, id: string): Promise<QueueEntry | null> {
    const row = await this.db.one(
      `SELECT ${QUEUE_ENTRY_COLUMNS} FROM queue_entries WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
      [id, tenantId],
    );
    return row ? toQueueEntry(row) : null;
  }

  /**
   * SEARCHING → CANCELLED as one conditional update: a racing tick claims it or we cancel it, never both.
   * A user may cancel their own entry or a ticket they are a member of.
   */
  async cancelSearching(
    id: string,
    tenantId: string | null,
    userId: string | null,
    reason: string,
    sql: Sql = this.db,
  ): Promise<QueueEntry | null> {
    const rows = await sql.rows(
      `UPDATE queue_entries SET status = 'CANCELLED', ended_reason = $4, ended_at = now(), updated_at = now()
       WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND status = 'SEARCHING'
         AND ($3::text IS NULL OR user_id = $3
              OR EXISTS (SELECT 1 FROM ticket_members t WHERE t.entry_id = $1 AND t.user_id = $3))
       RETURNING ${QUEUE_ENTRY_COLUMNS}`,
      [id, tenantId, userId, reason],
    );
    return rows[0] ? toQueueEntry(rows[0]) : null;
  }

  /** Cancels the SEARCHING entries (party tickets included) of several users of a tenant, inside the caller's transaction. */
  async cancelSearchingOfUsers(sql: Sql, tenantId: string, userIds: string[], reason: string): Promise<string[]> {
    const rows = await sql.rows(
      `UPDATE queue_entries SET status = 'CANCELLED', ended_reason = $3, ended_at = now(), updated_at = now()
       WHERE tenant_id = $1 AND status = 'SEARCHING'
         AND id IN (SELECT entry_id FROM ticket_members WHERE tenant_id = $1 AND user_id = ANY($2) AND open)
       RETURNING id`,
      [tenantId, userIds, reason],
    );
    return rows.map((r) => r.id as string);
  }

  /** Entries whose time ran out become TIMED_OUT, a bounded batch at a time. */
  async timeOutExpired(limit = 1000): Promise<QueueEntry[]> {
    const rows = await this.db.rows(
      `UPDATE queue_entries SET status = 'TIMED_OUT', ended_reason = 'timeout', ended_at = now(), updated_at = now()
       WHERE id IN (SELECT id FROM queue_entries WHERE status = 'SEARCHING' AND expires_at <= now()
                    ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND status = 'SEARCHING'
       RETURNING ${QUEUE_ENTRY_COLUMNS}`,
      [limit],
    );
    return rows.map(toQueueEntry);
  }
}
