import { Injectable } from '@nestjs/common';
import { Glicko2Rating } from '@app/core/ratings';
import { DEFAULT_DEVIATION, DEFAULT_RATING, DEFAULT_VOLATILITY, Sql } from '@app/persistence';

export interface LockedRating extends Glicko2Rating {
  userId: string;
  games: number;
  /** The last assessment: where the inactivity clock starts. */
  ratedAt: Date;
}

interface LockedRow extends Glicko2Rating {
  user_id: string;
  games: number;
  rated_at: Date;
}

export interface RatedPlayer {
  userId: string;
  username: string | null;
}

@Injectable()
export class RatingsRepository {
  /**
   * Creates missing rows at the defaults and row-locks both players' ratings for the rest of the
   * transaction. The upsert's DO UPDATE takes the row lock (like FOR UPDATE) and returns the latest
   * committed values; locking in user_id order keeps concurrent games of the same players from
   * deadlocking.
   */
  async lockForGame(
    tx: Sql,
    tenantId: string,
    category: string,
    players: RatedPlayer[],
  ): Promise<Map<string, LockedRating>> {
    const locked = new Map<string, LockedRating>();
    for (const p of [...players].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))) {
      const row = (await tx.one<LockedRow>(
        `INSERT INTO player_ratings (tenant_id, user_id, category, username, rating, deviation, volatility, games)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0)
         ON CONFLICT (tenant_id, user_id, category) DO UPDATE
           SET username = COALESCE(EXCLUDED.username, player_ratings.username)
         RETURNING user_id, rating, deviation, volatility, games, rated_at`,
        [tenantId, p.userId, category, p.username, DEFAULT_RATING, DEFAULT_DEVIATION, DEFAULT_VOLATILITY],
      ))!;
      locked.set(p.userId, {
        userId: row.user_id,
        rating: row.rating,
        deviation: row.deviation,
        volatility: row.volatility,
        games: row.games,
        ratedAt: row.rated_at,
      });
    }
    return locked;
  }

  /** Stores a rated game's outcome for one player (the row is locked by lockForGame); restarts the idle clock. */
  async saveGame(tx: Sql, tenantId: string, category: string, userId: string, next: Glicko2Rating): Promise<number> {
    const row = await tx.one<{ games: number }>(
      `UPDATE player_ratings SET rating = $4, deviation = $5, volatility = $6, games = games + 1,
         rated_at = now(), updated_at = now()
       WHERE tenant_id = $1 AND user_id = $2 AND category = $3 RETURNING games`,
      [tenantId, userId, category, next.rating, next.deviation, next.volatility],
    );
    return row!.games;
  }
}
