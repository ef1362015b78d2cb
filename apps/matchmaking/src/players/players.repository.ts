import { Injectable } from '@nestjs/common';
import {
  Database,
  DEFAULT_DEVIATION,
  DEFAULT_VOLATILITY,
  PLAYER_RATING_COLUMNS,
  PlayerRatingRecord,
  toPlayerRating,
} from '@app/persistence';

export interface RankedPlayer extends PlayerRatingRecord {
  userId: string;
  username: string | null;
}

export interface KnownPlayer {
  username: string | null;
}

@Injectable()
export class PlayersRepository {
  constructor(private readonly db: Database) {}

  async ratingsOf(tenantId: string, userId: string): Promise<PlayerRatingRecord[]> {
    const rows = await this.db.rows(
      `SELECT ${PLAYER_RATING_COLUMNS} FROM player_ratings WHERE tenant_id = $1 AND user_id = $2 ORDER BY category`,
      [tenantId, userId],
    );
    return rows.map(toPlayerRating);
  }

  /**
   * A player this tenant has seen (a rating, a queue entry or a match) with the name they last
   * joined with, else the one of their rated games; null when the tenant never saw them.
   */
  async findKnown(tenantId: string, userId: string): Promise<KnownPlayer | null> {
    const row = await this.db.one<{ known: boolean; username: string | null }>(
      `SELECT (EXISTS (SELECT 1 FROM player_ratings WHERE tenant_id = $1 AND user_id = $2)
               OR EXISTS (SELECT 1 FROM queue_entries WHERE tenant_id = $1 AND user_id = $2)
               OR EXISTS (SELECT 1 FROM matches WHERE tenant_id = $1 AND white_user_id = $2)
               OR EXISTS (SELECT 1 FROM matches WHERE tenant_id = $1 AND black_user_id = $2)) AS known,
              COALESCE(
                (SELECT username FROM queue_entries WHERE tenant_id = $1 AND user_id = $2 AND username IS NOT NULL
                 ORDER BY enqueued_at DESC LIMIT 1),
                (SELECT username FROM player_ratings WHERE tenant_id = $1 AND user_id = $2 AND username IS NOT NULL
                 ORDER BY rated_at DESC LIMIT 1)) AS username`,
      [tenantId, userId],
    );
    return row!.known ? { username: row!.username } : null;
  }

  /** An import is a fresh assessment: it restarts the inactivity clock. */
  async setRating(
    tenantId: string,
    userId: string,
    category: string,
    rating: number,
    deviation: number | undefined,
  ): Promise<PlayerRatingRecord> {
    const row = await this.db.one(
      `INSERT INTO player_ratings (tenant_id, user_id, category, rating, deviation, volatility, games, rated_at)
       VALUES ($1, $2, $3, $4, COALESCE($5, $6::double precision), $7, 0, now())
       ON CONFLICT (tenant_id, user_id, category) DO UPDATE
         SET rating = EXCLUDED.rating,
             deviation = COALESCE($5, player_ratings.deviation),
             rated_at = now(),
             updated_at = now()
       RETURNING ${PLAYER_RATING_COLUMNS}`,
      [tenantId, userId, category, rating, deviation ?? null, DEFAULT_DEVIATION, DEFAULT_VOLATILITY],
    );
    return toPlayerRating(row!);
  }

  /**
   * Players with at least one rated game, best first, user_id breaking ties so pages never overlap;
   * served by the partial index player_ratings_leaderboard_paged.
   */
  async leaderboard(tenantId: string, category: string, offset: number, limit: number): Promise<RankedPlayer[]> {
    const rows = await this.db.rows(
      `SELECT user_id, username, ${PLAYER_RATING_COLUMNS} FROM player_ratings
       WHERE tenant_id = $1 AND category = $2 AND games > 0
       ORDER BY rating DESC, user_id OFFSET $3 LIMIT $4`,
      [tenantId, category, offset, limit],
    );
    return rows.map((r) => ({ ...toPlayerRating(r), userId: r.user_id, username: r.username }));
  }
}
