import { Injectable } from '@nestjs/common';
import { Database, MATCH_COLUMNS, MatchRecord, Statement, toMatch } from '@app/persistence';

/**
 * One index range per colour (matches_history_white/black) and one for the other boards of team
 * matches (match_players_by_user; board 1 is already white or black), each cut at the cursor and at the
 * page size, then merged: a page costs O(limit) whatever the player's number of matches. The cursor's
 * (created_at, id) is read in SQL, because created_at has microseconds that a JS Date would drop; a
 * match_players row carries its match's created_at.
 */
const pageSql = (name: string, after: string, afterSeat: string): Statement => ({
  name,
  text: `SELECT ${MATCH_COLUMNS} FROM (
      (SELECT * FROM matches WHERE tenant_id = $1 AND white_user_id = $2 ${after}
       ORDER BY created_at DESC, id DESC LIMIT $3)
      UNION ALL
      (SELECT * FROM matches WHERE tenant_id = $1 AND black_user_id = $2 ${after}
       ORDER BY created_at DESC, id DESC LIMIT $3)
      UNION ALL
      (SELECT m.* FROM match_players p JOIN matches m ON m.id = p.match_id
       WHERE p.tenant_id = $1 AND p.user_id = $2 AND p.board > 1 ${afterSeat}
       ORDER BY p.created_at DESC, p.match_id DESC LIMIT $3)
    ) every_seat ORDER BY created_at DESC, id DESC LIMIT $3`,
});

const CURSOR = '(SELECT created_at, id FROM matches WHERE id = $4)';
const FIRST_PAGE = pageSql('match_history_first', '', '');
const NEXT_PAGE = pageSql(
  'match_history_next',
  `AND (created_at, id) < ${CURSOR}`,
  `AND (p.created_at, p.match_id) < ${CURSOR}`,
);

@Injectable()
export class MatchHistoryRepository {
  constructor(private readonly db: Database) {}

  /** A match of the tenant that the user played in, else null (others' matches are not found). */
  async findForPlayer(tenantId: string, userId: string, matchId: string): Promise<MatchRecord | null> {
    const row = await this.db.one(
      `SELECT ${MATCH_COLUMNS} FROM matches
       WHERE id = $1 AND tenant_id = $2 AND (white_user_id = $3 OR black_user_id = $3
         OR EXISTS (SELECT 1 FROM match_players p WHERE p.match_id = matches.id AND p.user_id = $3))`,
      [matchId, tenantId, userId],
    );
    return row ? toMatch(row) : null;
  }

  /** The user's matches older than the match `afterId` (newest first), or the newest when it is null. */
  async page(tenantId: string, userId: string, afterId: string | null, limit: number): Promise<MatchRecord[]> {
    const rows = afterId
      ? await this.db.rows(NEXT_PAGE, [tenantId, userId, limit, afterId])
      : await this.db.rows(FIRST_PAGE, [tenantId, userId, limit]);
    return rows.map(toMatch);
  }
}
