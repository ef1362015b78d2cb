import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_RATING, newId, OpponentSnapshot, QueueStatus } from '@app/persistence';
import { MatchRecord, toMatch, unfinishedGameSql } from '../matching/matches.repository';

export interface QueueEntry {
  id: string;
  tenantId: string;
  userId: string;
  username: string | null;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  region: string | null;
  rating: number;
  status: QueueStatus;
  enqueuedAt: Date;
  expiresAt: Date;
  estimatedWaitSeconds: number;
  matchId: string | null;
  gameId: string | null;
  color: 'white' | 'black' | null;
  opponent: OpponentSnapshot | null;
  endedReason: string | null;
  endedAt: Date | null;
  requestId: string | null;
}

export function toQueueEntry(row: Record<string, any>): QueueEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    username: row.username,
    poolKey: row.pool_key,
    timeControl: row.time_control,
    mode: row.mode,
    variant: row.variant,
    category: row.category,
    region: row.region,
    rating: row.rating,
    status: row.status,
    enqueuedAt: row.enqueued_at,
    expiresAt: row.expires_at,
    estimatedWaitSeconds: row.estimated_wait_seconds,
    matchId: row.match_id,
    gameId: row.game_id,
    color: row.color,
    opponent: row.opponent,
    endedReason: row.ended_reason,
    endedAt: row.ended_at,
    requestId: row.request_id,
  };
}

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

const COLUMNS = `id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category, region, rating,
  status, enqueued_at, expires_at, estimated_wait_seconds, match_id, game_id, color, opponent, ended_reason,
  ended_at, request_id`;

@Injectable()
export class QueueRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * One round trip on the hot path: refuses while the user's last game may still run, reads the
   * player's rating in the pool's category, estimates the wait, and inserts. The partial unique index
   * turns a second open entry into "nothing inserted", which is how 50 simultaneous joins produce
   * exactly one entry; only when nothing was inserted does a second query say why.
   *
   * The estimate: a likely opponent already waiting means the next tick; otherwise the median wait of
   * the pool's last 200 matches (30 minutes) within ±200 of the player's rating; otherwise `fallbackSeconds`.
   */
  async insertSearching(e: NewQueueEntry, tickSeconds: number, fallbackSeconds: number): Promise<InsertResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const rows = await this.db.query(
        `WITH r AS (
           SELECT COALESCE((SELECT round(rating)::int FROM player_ratings
                            WHERE tenant_id = $2 AND user_id = $3 AND category = $9), $14::int) AS rating
         ), near AS (
           SELECT EXISTS (SELECT 1 FROM queue_entries q, r
                          WHERE q.tenant_id = $2 AND q.pool_key = $5 AND q.status = 'SEARCHING'
                            AND q.rating BETWEEN r.rating - $15::int AND r.rating + $15::int
                            AND q.user_id <> $3) AS nearby
         ), busy AS (
           SELECT ${e.refuseDuringGame ? `EXISTS (${unfinishedGameSql('$2', '$3')})` : 'false'} AS in_game
         ), recent AS (
           SELECT ceil(percentile_cont(0.5) WITHIN GROUP (ORDER BY (m.white_wait_ms + m.black_wait_ms) / 2) / 1000.0)::int AS median_s
           FROM (SELECT white_wait_ms, black_wait_ms, white_rating, black_rating FROM matches
                 WHERE tenant_id = $2 AND pool_key = $5 AND source = 'queue' AND status <> 'FAILED'
                   AND created_at > now() - interval '30 minutes'
                 ORDER BY created_at DESC LIMIT 200) m, r
           WHERE abs((m.white_rating + m.black_rating) / 2 - r.rating) <= 200
         )
         INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
           region, rating, status, enqueued_at, expires_at, estimated_wait_seconds, client_metadata, request_id)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, r.rating, 'SEARCHING', now(),
                now() + make_interval(secs => $11::int),
                least($11::int, CASE WHEN near.nearby THEN $16::int ELSE COALESCE(recent.median_s, $17::int) END),
                $12::jsonb, $13
         FROM r, near, recent, busy
         WHERE NOT busy.in_game
         ON CONFLICT (tenant_id, user_id) WHERE status IN ('SEARCHING', 'MATCHING') DO NOTHING
         RETURNING ${COLUMNS}`,
        [
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
        ],
      );
      if (rows.length) return { entry: toQueueEntry(rows[0]) };
      if (e.refuseDuringGame) {
        const [game] = await this.db.query(unfinishedGameSql('$1', '$2'), [e.tenantId, e.userId]);
        if (game) return { activeGame: toMatch(game) };
      }
      const open = await this.findOpen(e.tenantId, e.userId);
      if (open) return { existingId: open.id };
    }
    throw new Error('queue insert kept conflicting with an entry that was no longer open');
  }

  async findOpen(tenantId: string, userId: string): Promise<QueueEntry | null> {
    const [row] = await this.db.query(
      `SELECT ${COLUMNS} FROM queue_entries
       WHERE tenant_id = $1 AND user_id = $2 AND status IN ('SEARCHING', 'MATCHING')`,
      [tenantId, userId],
    );
    return row ? toQueueEntry(row) : null;
  }

  async findForUser(tenantId: string, userId: string, id: string): Promise<QueueEntry | null> {
    const [row] = await this.db.query(
      `SELECT ${COLUMNS} FROM queue_entries WHERE id = $1 AND tenant_id = $2 AND user_id = $3`,
      [id, tenantId, userId],
    );
    return row ? toQueueEntry(row) : null;
  }

  /** Tenant null = any tenant (the internal API key). */
  async findInScope(tenantId: string | null, id: string): Promise<QueueEntry | null> {
    const [row] = await this.db.query(
      `SELECT ${COLUMNS} FROM queue_entries WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
      [id, tenantId],
    );
    return row ? toQueueEntry(row) : null;
  }

  /** SEARCHING → CANCELLED as one conditional update: a racing tick claims it or we cancel it, never both. */
  async cancelSearching(
    id: string,
    tenantId: string | null,
    userId: string | null,
    reason: string,
    manager: EntityManager = this.db.manager,
  ): Promise<QueueEntry | null> {
    const [rows] = await manager.query(
      `UPDATE queue_entries SET status = 'CANCELLED', ended_reason = $4, ended_at = now(), updated_at = now()
       WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND ($3::text IS NULL OR user_id = $3)
         AND status = 'SEARCHING'
       RETURNING ${COLUMNS}`,
      [id, tenantId, userId, reason],
    );
    return rows?.[0] ? toQueueEntry(rows[0]) : null;
  }

  /** Cancels the SEARCHING entries of several users of a tenant, inside the caller's transaction. */
  async cancelSearchingOfUsers(
    manager: EntityManager,
    tenantId: string,
    userIds: string[],
    reason: string,
  ): Promise<string[]> {
    const [rows] = await manager.query(
      `UPDATE queue_entries SET status = 'CANCELLED', ended_reason = $3, ended_at = now(), updated_at = now()
       WHERE tenant_id = $1 AND user_id = ANY($2) AND status = 'SEARCHING'
       RETURNING id`,
      [tenantId, userIds, reason],
    );
    return (rows ?? []).map((r: { id: string }) => r.id);
  }

  /** Entries whose time ran out become TIMED_OUT, a bounded batch at a time. */
  async timeOutExpired(limit = 1000): Promise<QueueEntry[]> {
    const [rows] = await this.db.query(
      `UPDATE queue_entries SET status = 'TIMED_OUT', ended_reason = 'timeout', ended_at = now(), updated_at = now()
       WHERE id IN (SELECT id FROM queue_entries WHERE status = 'SEARCHING' AND expires_at <= now()
                    ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND status = 'SEARCHING'
       RETURNING ${COLUMNS}`,
      [limit],
    );
    return (rows ?? []).map(toQueueEntry);
  }
}
