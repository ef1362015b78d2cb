import { Injectable } from '@nestjs/common';
import { Database, MATCH_COLUMNS, MatchRecord, Sql, Statement, toMatch, unfinishedGameSql } from '@app/persistence';

/** Recent games the colour rule looks back over: enough to even out colours, few enough to follow a streak. */
const COLOR_HISTORY_GAMES = 20;

/** Read by every `/active` and by every accept. */
const UNFINISHED_GAME: Statement = { name: 'match_unfinished_game', text: unfinishedGameSql('$1', '$2') };

export interface ColorHistory {
  whites: number;
  games: number;
}

/** Reads of match records that the queue, challenges, admin and the tick share. */
@Injectable()
export class MatchesRepository {
  constructor(private readonly db: Database) {}

  async find(id: string): Promise<MatchRecord | null> {
    const row = await this.db.one(`SELECT ${MATCH_COLUMNS} FROM matches WHERE id = $1`, [id]);
    return row && toMatch(row);
  }

  /** The user's last game if it has no result and may still be running. */
  async unfinishedGameOf(tenantId: string, userId: string, sql: Sql = this.db): Promise<MatchRecord | null> {
    const row = await sql.one(UNFINISHED_GAME, [tenantId, userId]);
    return row && toMatch(row);
  }

  /** Whites and games of each user over their recent created games, for the colour rule. */
  async colorHistory(tenantId: string, userIds: string[]): Promise<Map<string, ColorHistory>> {
    const rows = await this.db.rows<{ user_id: string; whites: number; games: number }>(
      `SELECT u.user_id, count(*) FILTER (WHERE g.white_user_id = u.user_id)::int AS whites, count(g.id)::int AS games
       FROM unnest($2::text[]) AS u(user_id)
       CROSS JOIN LATERAL (
         SELECT id, white_user_id FROM matches
         WHERE tenant_id = $1 AND (white_user_id = u.user_id OR black_user_id = u.user_id) AND status <> 'FAILED'
         ORDER BY created_at DESC LIMIT $3) g
       GROUP BY u.user_id`,
      [tenantId, userIds, COLOR_HISTORY_GAMES],
    );
    return new Map(rows.map((r) => [r.user_id, { whites: r.whites, games: r.games }]));
  }
}
