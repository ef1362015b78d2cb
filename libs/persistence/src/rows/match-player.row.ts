export type TeamName = 'a' | 'b';
export type BoardColor = 'white' | 'black';

/** A `match_players` row: one player of a team match, as lined up when the match was made. */
export interface MatchPlayerRecord {
  matchId: string;
  userId: string;
  username: string | null;
  team: TeamName;
  board: number;
  color: BoardColor;
  /** The rating when the match was made. */
  rating: number;
  waitMs: number;
  queueEntryId: string | null;
  /** The team rating (1500 scale) around a rated result; null until then and for unrated games. */
  ratingBefore: number | null;
  ratingAfter: number | null;
}

export function toMatchPlayer(r: Record<string, any>): MatchPlayerRecord {
  return {
    matchId: r.match_id,
    userId: r.user_id,
    username: r.username,
    team: r.team,
    board: r.board,
    color: r.color,
    rating: r.rating,
    waitMs: r.wait_ms,
    queueEntryId: r.queue_entry_id,
    ratingBefore: r.rating_before,
    ratingAfter: r.rating_after,
  };
}

/** Every column toMatchPlayer reads. */
export const MATCH_PLAYER_COLUMNS = `match_id, user_id, username, team, board, color, rating, wait_ms, queue_entry_id,
  rating_before, rating_after`;

/** Team a first, then by board: the order every reader and the live-game body list players in. */
export const MATCH_PLAYER_ORDER = 'team, board';
