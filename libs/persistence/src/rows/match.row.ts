import type { PoolFields } from './pool-fields';

export type MatchStatus = 'PENDING' | 'CREATED' | 'FAILED';
/** `white`/`black` end a 1v1 game, `a`/`b` a team game (SPEC §12); `draw` and `aborted` end either. */
export type GameResult = 'white' | 'black' | 'a' | 'b' | 'draw' | 'aborted';

export interface MatchRecord extends PoolFields {
  id: string;
  tenantId: string;
  source: 'queue' | 'challenge';
  status: MatchStatus;
  /** `1v1`, or `NvN` for a team match (its players in match_players; white/black are the board-1 players). */
  format: string;
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
  /** Attempts whose answer never came: each may have created the game. */
  unansweredAttempts: number;
  lastError: string | null;
  result: GameResult | null;
  resultAt: Date | null;
  /** Glicko-2 ratings of a rated game's result transaction; null until then and for unrated games. */
  whiteRatingBefore: number | null;
  whiteRatingAfter: number | null;
  blackRatingBefore: number | null;
  blackRatingAfter: number | null;
  requestId: string | null;
  createdAt: Date;
  gameCreatedAt: Date | null;
}

/** A `matches` row (MATCH_COLUMNS) as the service reads it. */
export function toMatch(r: Record<string, any>): MatchRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    source: r.source,
    status: r.status,
    format: r.format,
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
    unansweredAttempts: r.unanswered_attempts,
    lastError: r.last_error,
    result: r.result,
    resultAt: r.result_at,
    whiteRatingBefore: r.white_rating_before,
    whiteRatingAfter: r.white_rating_after,
    blackRatingBefore: r.black_rating_before,
    blackRatingAfter: r.black_rating_after,
    requestId: r.request_id,
    createdAt: r.created_at,
    gameCreatedAt: r.game_created_at,
  };
}

/** Every column toMatch reads. */
export const MATCH_COLUMNS = `id, tenant_id, source, status, format, pool_key, time_control, mode, variant, category, region,
  white_user_id, black_user_id, white_username, black_username, white_rating, black_rating, white_entry_id,
  black_entry_id, white_wait_ms, black_wait_ms, rating_gap, challenge_id, game_id, attempts, unanswered_attempts, last_error, result,
  result_at, white_rating_before, white_rating_after, black_rating_before, black_rating_after, request_id, created_at,
  game_created_at`;

/**
 * The user's last match (white or black, or any board of a team match; not FAILED) if it has no result
 * and its game may still be running: started less than 2 × (60·M + 40·I) + 60 seconds ago. Shared by
 * the join's insert. Each branch is one probe of a per-user index (a 1v1 player has no match_players
 * rows, so the team branch costs them one empty index probe). Its aliases are its own (`seat`,
 * `seat_match`), so callers may pass columns of their own aliases such as `p.tenant_id`.
 */
export function unfinishedGameSql(tenantParam: string, userParam: string): string {
  return `SELECT * FROM (
      SELECT * FROM (
        (SELECT * FROM matches WHERE tenant_id = ${tenantParam} AND white_user_id = ${userParam} AND status <> 'FAILED'
         ORDER BY created_at DESC LIMIT 1)
        UNION ALL
        (SELECT * FROM matches WHERE tenant_id = ${tenantParam} AND black_user_id = ${userParam} AND status <> 'FAILED'
         ORDER BY created_at DESC LIMIT 1)
        UNION ALL
        (SELECT seat_match.* FROM match_players seat JOIN matches seat_match ON seat_match.id = seat.match_id
         WHERE seat.tenant_id = ${tenantParam} AND seat.user_id = ${userParam} AND seat_match.status <> 'FAILED'
         ORDER BY seat.created_at DESC LIMIT 1)
      ) every_seat ORDER BY created_at DESC LIMIT 1
    ) last
    WHERE last.result IS NULL
      AND coalesce(last.game_created_at, last.created_at) > now() - make_interval(secs =>
        2 * (60 * split_part(last.time_control, '+', 1)::int + 40 * split_part(last.time_control, '+', 2)::int) + 60)`;
}
