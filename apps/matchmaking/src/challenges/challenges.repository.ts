import { Injectable } from '@nestjs/common';
import {
  Challenge,
  Database,
  DEFAULT_RATING,
  DeclineReason,
  isUniqueViolation,
  newId,
  PreferredColor,
  Sql,
  toChallenge,
} from '@app/persistence';

/**
 * The public view of challenge rows `c`: an unswept overdue PENDING reads as EXPIRED, and the match
 * is the source of truth for the game id and a failure, whatever process settled it.
 */
const view = (source: string) => `
  SELECT c.id, c.tenant_id, c.challenger_user_id, c.challenger_username, c.opponent_user_id, c.time_control, c.mode,
    c.variant, c.category, c.preferred_color, c.decline_reason, c.match_id, c.created_at, c.expires_at,
    CASE WHEN c.status = 'PENDING' AND c.expires_at <= now() THEN 'EXPIRED'
         WHEN c.status = 'ACCEPTED' AND m.status = 'FAILED' THEN 'FAILED'
         ELSE c.status END AS status,
    COALESCE(c.game_id, m.game_id) AS game_id,
    COALESCE(round(r.rating)::int, ${DEFAULT_RATING}) AS challenger_rating
  FROM ${source} c
  LEFT JOIN matches m ON m.id = c.match_id
  LEFT JOIN player_ratings r ON r.tenant_id = c.tenant_id AND r.user_id = c.challenger_user_id AND r.category = c.category`;

/** The challenger's other PENDING challenges, and when the first of them expires. */
interface Pending {
  count: number;
  firstExpiresInSeconds: number;
}

export type InsertedChallenge = { challenge: Challenge; replacedIds: string[] } | { limited: Pending };

export interface NewChallenge {
  tenantId: string;
  challengerUserId: string;
  challengerUsername: string | null;
  opponentUserId: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  preferredColor: PreferredColor;
  ttlSeconds: number;
  requestId: string | null;
}

@Injectable()
export class ChallengesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Replaces the challenger's pending challenge to the same opponent and inserts the new one in one
   * transaction. Creates for the same pair queue on an advisory lock; the partial unique index is
   * the guarantee behind it (a violation is retried).
   */
  /**
   * Under one lock per challenger: the cap on their other PENDING challenges is counted, the previous
   * challenge to the same opponent replaced, and the new one inserted, so racing creates can neither
   * pass the cap together nor leave two PENDING challenges to one opponent.
   */
  async replaceAndInsert(n: NewChallenge, maxPending: number): Promise<InsertedChallenge> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
            `challenger|${n.tenantId}|${n.challengerUserId}`,
          ]);
          const pending = await this.pendingOutgoing(tx, n.tenantId, n.challengerUserId, n.opponentUserId);
          if (pending.count >= maxPending) return { limited: pending };
          const replaced = await tx.rows<{ id: string }>(
            `UPDATE challenges SET status = CASE WHEN expires_at <= now() THEN 'EXPIRED' ELSE 'CANCELLED' END,
               ended_at = now(), updated_at = now()
             WHERE tenant_id = $1 AND challenger_user_id = $2 AND opponent_user_id = $3 AND status = 'PENDING'
             RETURNING id`,
            [n.tenantId, n.challengerUserId, n.opponentUserId],
          );
          const row = await tx.one(
            `WITH c0 AS (
               INSERT INTO challenges (id, tenant_id, challenger_user_id, challenger_username, opponent_user_id,
                 time_control, mode, variant, category, preferred_color, status, request_id, created_at, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PENDING', $11, now(),
                 now() + make_interval(secs => $12::int))
               RETURNING *)
             ${view('c0')}`,
            [
              newId('c'),
              n.tenantId,
              n.challengerUserId,
              n.challengerUsername,
              n.opponentUserId,
              n.timeControl,
              n.mode,
              n.variant,
              n.category,
              n.preferredColor,
              n.requestId,
              n.ttlSeconds,
            ],
          );
          return { challenge: toChallenge(row!), replacedIds: replaced.map((r) => r.id) };
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 2) throw error;
      }
    }
  }

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** A challenge the user takes part in (as challenger or opponent) within the tenant. */
  async findForParticipant(
    tenantId: string,
    userId: string,
    id: string,
    sql: Sql = this.db,
  ): Promise<Challenge | null> {
    const row = await sql.one(
      `${view('challenges')}
       WHERE c.id = $1 AND c.tenant_id = $2 AND (c.challenger_user_id = $3 OR c.opponent_user_id = $3)`,
      [id, tenantId, userId],
    );
    return row ? toChallenge(row) : null;
  }

  /** Pending, unexpired challenges where the user is on the given side, newest first. */
  async listPending(tenantId: string, userId: string, side: 'incoming' | 'outgoing'): Promise<Challenge[]> {
    const column = side === 'incoming' ? 'opponent_user_id' : 'challenger_user_id';
    const rows = await this.db.rows(
      `${view('challenges')}
       WHERE c.tenant_id = $1 AND c.${column} = $2 AND c.status = 'PENDING' AND c.expires_at > now()
       ORDER BY c.created_at DESC, c.id DESC`,
      [tenantId, userId],
    );
    return rows.map(toChallenge);
  }

  /**
   * The challenger's outgoing PENDING, unexpired challenges to others than `exceptOpponent` (a new
   * challenge replaces the one to the same opponent), and seconds until the first of them expires.
   */
  private async pendingOutgoing(tx: Sql, tenantId: string, userId: string, exceptOpponent: string): Promise<Pending> {
    const row = await tx.one<{ count: number; expires_in: number }>(
      `SELECT count(*)::int AS count, COALESCE(ceil(extract(epoch FROM min(expires_at) - now())), 0)::int AS expires_in
       FROM challenges
       WHERE tenant_id = $1 AND challenger_user_id = $2 AND opponent_user_id <> $3
         AND status = 'PENDING' AND expires_at > now()`,
      [tenantId, userId, exceptOpponent],
    );
    return { count: row!.count, firstExpiresInSeconds: row!.expires_in };
  }

  /** PENDING (and unexpired) → ACCEPTED as one conditional update: of racing accepts exactly one wins. */
  async markAccepted(tx: Sql, tenantId: string, opponentUserId: string, id: string): Promise<boolean> {
    const count = await tx.count(
      `UPDATE challenges SET status = 'ACCEPTED', ended_at = now(), updated_at = now()
       WHERE id = $1 AND tenant_id = $2 AND opponent_user_id = $3 AND status = 'PENDING' AND expires_at > now()`,
      [id, tenantId, opponentUserId],
    );
    return count > 0;
  }

  async attachMatch(tx: Sql, id: string, matchId: string): Promise<void> {
    await tx.count(`UPDATE challenges SET match_id = $2, updated_at = now() WHERE id = $1`, [id, matchId]);
  }

  /** PENDING (and unexpired) → DECLINED or CANCELLED by the given side; null when it was not pending. */
  async end(
    tenantId: string,
    id: string,
    by: { column: 'challenger_user_id' | 'opponent_user_id'; userId: string },
    status: 'DECLINED' | 'CANCELLED',
    declineReason: DeclineReason | null,
  ): Promise<Challenge | null> {
    const row = await this.db.one(
      `WITH c0 AS (
         UPDATE challenges SET status = $4, decline_reason = $5, ended_at = now(), updated_at = now()
         WHERE id = $1 AND tenant_id = $2 AND ${by.column} = $3 AND status = 'PENDING' AND expires_at > now()
         RETURNING *)
       ${view('c0')}`,
      [id, tenantId, by.userId, status, declineReason],
    );
    return row ? toChallenge(row) : null;
  }

  /** Mirrors a settled match onto its accepted challenge. */
  async syncWithMatch(matchId: string, gameId: string | null, failed: boolean): Promise<void> {
    await this.db.count(
      `UPDATE challenges SET status = CASE WHEN $3::boolean THEN 'FAILED' ELSE status END,
         game_id = COALESCE($2, game_id), updated_at = now()
       WHERE match_id = $1 AND status = 'ACCEPTED'`,
      [matchId, gameId, failed],
    );
  }

  /** Overdue PENDING challenges become EXPIRED, a bounded batch at a time. */
  async expireOverdue(limit = 1000): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `UPDATE challenges SET status = 'EXPIRED', ended_at = now(), updated_at = now()
       WHERE id IN (SELECT id FROM challenges WHERE status = 'PENDING' AND expires_at <= now()
                    ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND status = 'PENDING'
       RETURNING id`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Both players' ratings in a category at this moment (the default for a newcomer). */
  async ratingsIn(tx: Sql, tenantId: string, userIds: string[], category: string): Promise<Map<string, number>> {
    const rows = await tx.rows<{ user_id: string; rating: number }>(
      `SELECT u.user_id, COALESCE(round(r.rating)::int, ${DEFAULT_RATING}) AS rating
       FROM unnest($2::text[]) AS u(user_id)
       LEFT JOIN player_ratings r ON r.tenant_id = $1 AND r.user_id = u.user_id AND r.category = $3`,
      [tenantId, userIds, category],
    );
    return new Map(rows.map((r) => [r.user_id, r.rating]));
  }

  /** Serialises accepts that involve the same player, so nobody gets two games from two challenges. */
  async lockPlayers(tx: Sql, tenantId: string, userIds: string[]): Promise<void> {
    for (const userId of [...userIds].sort()) {
      await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`challenge|${tenantId}|${userId}`]);
    }
  }
}
