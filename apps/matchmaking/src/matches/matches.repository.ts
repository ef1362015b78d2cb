import { Injectable } from '@nestjs/common';
import { Database, MATCH_COLUMNS, MatchRecord, Sql, Statement, toMatch, unfinishedGameSql } from '@app/persistence';

/** Recent games the colour rule looks back over: enough to even out colours, few enough to follow a streak. */
const COLOR_HISTORY_GAMES = 20;

/** Read by every `/active` and by every accept. */
const UNFINISHED_GAME: Statement = { name: 'match_unfinished_game', text: unfinishedGameSql('$1', '$2') };

const COLOR_HISTORY = `SELECT u.user_id, count(*) FILTER (WHERE g.white)::int AS whites, count(*)::int AS games
  FROM unnest($2::text[]) AS u(user_id)
  CROSS JOIN LATERAL (
    SELECT white FROM (
      (SELECT true AS white, created_at, id FROM matches
       WHERE tenant_id = $1 AND white_user_id = u.user_id AND status <> 'FAILED'
       ORDER BY created_at DESC, id DESC LIMIT $3)
      UNION ALL
      (SELECT false AS white, created_at, id FROM matches
       WHERE tenant_id = $1 AND black_user_id = u.user_id AND status <> 'FAILED'
       ORDER BY created_at DESC, id DESC LIMIT $3)) both_colours
    ORDER BY created_at DESC, id DESC LIMIT $3) g
  GROUP BY u.user_id`;

/** For the rest of the transaction: plans that sort cost too much to be chosen, and no JIT compilation. */
const NO_SORTS_NO_JIT = `SELECT set_config('enable_sort', 'off', true), set_config('enable_incremental_sort', 'off', true),
  set_config('jit', 'off', true)`;

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

  /**
   * Whites and games of each user over their recent created games, for the colour rule: each colour read
   * newest first from its own history index, the two merged. The planner is told not to sort, so it cannot
   * pick a scan of the tenant's whole `matches` per user, which it does while `matches` is new and its
   * statistics small (a burst's second tick: 306–771 ms for ~3,000 users against 13–28 ms; and no JIT, which
   * compiled the read of 100,000 users for 567 ms; docs/performance.md).
   */
  async colorHistory(tenantId: string, userIds: string[]): Promise<Map<string, ColorHistory>> {
    const rows = await this.db.transaction(async (tx) => {
      await tx.rows(NO_SORTS_NO_JIT);
      return tx.rows<{ user_id: string; whites: number; games: number }>(COLOR_HISTORY, [
        tenantId,
        userIds,
        COLOR_HISTORY_GAMES,
      ]);
    });
    return new Map(rows.map((r) => [r.user_id, { whites: r.whites, games: r.games }]));
  }
}
