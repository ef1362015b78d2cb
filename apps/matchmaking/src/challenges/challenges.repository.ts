import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_RATING, newId } from '@app/persistence';

export const CHALLENGE_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];
export const PREFERRED_COLORS = ['white', 'black', 'random'] as const;
export type PreferredColor = (typeof PREFERRED_COLORS)[number];
export const DECLINE_REASONS = [
  'generic',
  'later',
  'too_fast',
  'too_slow',
  'time_control',
  'rated',
  'casual',
  'variant',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface Challenge {
  id: string;
  tenantId: string;
  challengerUserId: string;
  challengerUsername: string | null;
  /** The challenger's current rating in the challenge's category. */
  challengerRating: number;
  opponentUserId: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  preferredColor: PreferredColor;
  status: ChallengeStatus;
  declineReason: DeclineReason | null;
  matchId: string | null;
  gameId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

function toChallenge(r: Record<string, any>): Challenge {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    challengerUserId: r.challenger_user_id,
    challengerUsername: r.challenger_username,
    challengerRating: r.challenger_rating,
    opponentUserId: r.opponent_user_id,
    timeControl: r.time_control,
    mode: r.mode,
    variant: r.variant,
    category: r.category,
    preferredColor: r.preferred_color,
    status: r.status,
    declineReason: r.decline_reason,
    matchId: r.match_id,
    gameId: r.game_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

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

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class ChallengesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Replaces the challenger's pending challenge to the same opponent and inserts the new one in one
   * transaction. Creates for the same pair queue on an advisory lock; the partial unique index is
   * the guarantee behind it (a violation is retried).
   */
  async replaceAndInsert(n: NewChallenge): Promise<{ challenge: Challenge; replacedIds: string[] }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
            `challenge-pair|${n.tenantId}|${n.challengerUserId}|${n.opponentUserId}`,
          ]);
          const [replaced] = await tx.query(
            `UPDATE challenges SET status = CASE WHEN expires_at <= now() THEN 'EXPIRED' ELSE 'CANCELLED' END,
               ended_at = now(), updated_at = now()
             WHERE tenant_id = $1 AND challenger_user_id = $2 AND opponent_user_id = $3 AND status = 'PENDING'
             RETURNING id`,
            [n.tenantId, n.challengerUserId, n.opponentUserId],
          );
          const [row] = await tx.query(
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
          return { challenge: toChallenge(row), replacedIds: replaced.map((r: { id: string }) => r.id) };
        });
      } catch (error) {
        const code = (error as { driverError?: { code?: string } })?.driverError?.code;
        if (code !== UNIQUE_VIOLATION || attempt >= 2) throw error;
      }
    }
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** A challenge the user takes part in (as challenger or opponent) within the tenant. */
  async findForParticipant(
    tenantId: string,
    userId: string,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<Challenge | null> {
    const [row] = await manager.query(
      `${view('challenges')}
       WHERE c.id = $1 AND c.tenant_id = $2 AND (c.challenger_user_id = $3 OR c.opponent_user_id = $3)`,
      [id, tenantId, userId],
    );
    return row ? toChallenge(row) : null;
  }

  /** Pending, unexpired challenges where the user is on the given side, newest first. */
  async listPending(tenantId: string, userId: string, side: 'incoming' | 'outgoing'): Promise<Challenge[]> {
    const column = side === 'incoming' ? 'opponent_user_id' : 'challenger_user_id';
    const rows = await this.db.query(
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
  async pendingOutgoing(
    tenantId: string,
    userId: string,
    exceptOpponent: string,
  ): Promise<{ count: number; firstExpiresInSeconds: number }> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS count, COALESCE(ceil(extract(epoch FROM min(expires_at) - now())), 0)::int AS expires_in
       FROM challenges
       WHERE tenant_id = $1 AND challenger_user_id = $2 AND opponent_user_id <> $3
         AND status = 'PENDING' AND expires_at > now()`,
      [tenantId, userId, exceptOpponent],
    );
    return { count: row.count, firstExpiresInSeconds: row.expires_in };
  }

  /** PENDING (and unexpired) → ACCEPTED as one conditional update: of racing accepts exactly one wins. */
  async markAccepted(tx: EntityManager, tenantId: string, opponentUserId: string, id: string): Promise<boolean> {
    const [, count] = await tx.query(
      `UPDATE challenges SET status = 'ACCEPTED', ended_at = now(), updated_at = now()
       WHERE id = $1 AND tenant_id = $2 AND opponent_user_id = $3 AND status = 'PENDING' AND expires_at > now()`,
      [id, tenantId, opponentUserId],
    );
    return count > 0;
  }

  async attachMatch(tx: EntityManager, id: string, matchId: string): Promise<void> {
    await tx.query(`UPDATE challenges SET match_id = $2, updated_at = now() WHERE id = $1`, [id, matchId]);
  }

  /** PENDING (and unexpired) → DECLINED or CANCELLED by the given side; null when it was not pending. */
  async end(
    tenantId: string,
    id: string,
    by: { column: 'challenger_user_id' | 'opponent_user_id'; userId: string },
    status: 'DECLINED' | 'CANCELLED',
    declineReason: DeclineReason | null,
  ): Promise<Challenge | null> {
    const [row] = await this.db.query(
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
    await this.db.query(
      `UPDATE challenges SET status = CASE WHEN $3::boolean THEN 'FAILED' ELSE status END,
         game_id = COALESCE($2, game_id), updated_at = now()
       WHERE match_id = $1 AND status = 'ACCEPTED'`,
      [matchId, gameId, failed],
    );
  }

  /** Overdue PENDING challenges become EXPIRED, a bounded batch at a time. */
  async expireOverdue(limit = 1000): Promise<string[]> {
    const [rows] = await this.db.query(
      `UPDATE challenges SET status = 'EXPIRED', ended_at = now(), updated_at = now()
       WHERE id IN (SELECT id FROM challenges WHERE status = 'PENDING' AND expires_at <= now()
                    ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         AND status = 'PENDING'
       RETURNING id`,
      [limit],
    );
    return (rows ?? []).map((r: { id: string }) => r.id);
  }

  /** Both players' ratings in a category at this moment (the default for a newcomer). */
  async ratingsIn(
    tx: EntityManager,
    tenantId: string,
    userIds: string[],
    category: string,
  ): Promise<Map<string, number>> {
    const rows: { user_id: string; rating: number }[] = await tx.query(
      `SELECT u.user_id, COALESCE(round(r.rating)::int, ${DEFAULT_RATING}) AS rating
       FROM unnest($2::text[]) AS u(user_id)
       LEFT JOIN player_ratings r ON r.tenant_id = $1 AND r.user_id = u.user_id AND r.category = $3`,
      [tenantId, userIds, category],
    );
    return new Map(rows.map((r) => [r.user_id, r.rating]));
  }

  /** Serialises accepts that involve the same player, so nobody gets two games from two challenges. */
  async lockPlayers(tx: EntityManager, tenantId: string, userIds: string[]): Promise<void> {
    for (const userId of [...userIds].sort()) {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`challenge|${tenantId}|${userId}`]);
    }
  }
}
