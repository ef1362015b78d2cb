import { Injectable } from '@nestjs/common';
import { Database, DEFAULT_DEVIATION, DEFAULT_VOLATILITY } from '@app/persistence';

export interface RankedPlayer {
  user_id: string;
  username: string | null;
  rating: number;
  deviation: number;
  games: number;
}

export interface StoredRating {
  category: string;
  rating: number;
  deviation: number;
  volatility: number;
  games: number;
}

@Injectable()
export class PlayersRepository {
  constructor(private readonly db: Database) {}

  async ratingsOf(tenantId: string, userId: string): Promise<StoredRating[]> {
    return this.db.rows<StoredRating>(
      `SELECT category, rating, deviation, volatility, games FROM player_ratings
       WHERE tenant_id = $1 AND user_id = $2 ORDER BY category`,
      [tenantId, userId],
    );
  }

  async setRating(
    tenantId: string,
    userId: string,
    category: string,
    rating: number,
    deviation: number | undefined,
  ): Promise<StoredRating> {
    const row = await this.db.one<StoredRating>(
      `INSERT INTO player_ratings (tenant_id, user_id, category, rating, deviation, volatility, games)
       VALUES ($1, $2, $3, $4, COALESCE($5, $6::double precision), $7, 0)
       ON CONFLICT (tenant_id, user_id, category) DO UPDATE
         SET rating = EXCLUDED.rating,
             deviation = COALESCE($5, player_ratings.deviation),
             updated_at = now()
       RETURNING category, rating, deviation, volatility, games`,
      [tenantId, userId, category, rating, deviation ?? null, DEFAULT_DEVIATION, DEFAULT_VOLATILITY],
    );
    return row!;
  }

  /** Players with at least one rated game, best first; served by the partial index player_ratings_leaderboard. */
  async leaderboard(tenantId: string, category: string, limit: number): Promise<RankedPlayer[]> {
    return this.db.rows<RankedPlayer>(
      `SELECT user_id, username, rating, deviation, games FROM player_ratings
       WHERE tenant_id = $1 AND category = $2 AND games > 0
       ORDER BY rating DESC, user_id LIMIT $3`,
      [tenantId, category, limit],
    );
  }
}
