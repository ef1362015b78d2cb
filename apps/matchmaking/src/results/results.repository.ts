import { Injectable } from '@nestjs/common';
import { GameResult, MATCH_COLUMNS, MatchRecord, Sql, toMatch } from '@app/persistence';

export interface RatingPair {
  before: number;
  after: number;
}

/** Which games a result can end: `1v1` for white/black, `team` for a/b, null (either) for draw and aborted. */
export function resultKind(result: GameResult): '1v1' | 'team' | null {
  return result === 'white' || result === 'black' ? '1v1' : result === 'a' || result === 'b' ? 'team' : null;
}

/** Game results on match records: the first result of a game wins, inside the caller's transaction. */
@Injectable()
export class ResultsRepository {
  async recordResult(
    gameId: string,
    tenantId: string | null,
    result: GameResult,
    tx: Sql,
  ): Promise<{ match: MatchRecord; recorded: boolean } | null> {
    // A result of the wrong kind records nothing; the caller reads the match and refuses it.
    const rows = await tx.rows(
      `UPDATE matches SET result = $3, result_at = now(), updated_at = now()
       WHERE game_id = $1 AND ($2::text IS NULL OR tenant_id = $2) AND result IS NULL
         AND ($4::text IS NULL OR (format = '1v1') = ($4 = '1v1'))
       RETURNING ${MATCH_COLUMNS}`,
      [gameId, tenantId, result, resultKind(result)],
    );
    if (rows.length) return { match: toMatch(rows[0]), recorded: true };
    const existing = await tx.one(
      `SELECT ${MATCH_COLUMNS} FROM matches WHERE game_id = $1 AND ($2::text IS NULL OR tenant_id = $2)`,
      [gameId, tenantId],
    );
    return existing ? { match: toMatch(existing), recorded: false } : null;
  }

  /** Both sides' ratings around a rated game, for the match history. */
  async storeRatings(tx: Sql, matchId: string, white: RatingPair, black: RatingPair): Promise<void> {
    await tx.count(
      `UPDATE matches SET white_rating_before = $2, white_rating_after = $3, black_rating_before = $4,
         black_rating_after = $5 WHERE id = $1`,
      [matchId, white.before, white.after, black.before, black.after],
    );
  }
}
