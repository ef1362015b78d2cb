/** Glicko-2 defaults of a player with no games in a category. */
export const DEFAULT_RATING = 1500;
export const DEFAULT_DEVIATION = 350;
export const DEFAULT_VOLATILITY = 0.06;

/** A `player_ratings` row as the readers use it; `rated_at` starts the inactivity clock. */
export interface PlayerRatingRecord {
  category: string;
  rating: number;
  deviation: number;
  volatility: number;
  games: number;
  ratedAt: Date;
}

export function toPlayerRating(r: Record<string, any>): PlayerRatingRecord {
  return {
    category: r.category,
    rating: r.rating,
    deviation: r.deviation,
    volatility: r.volatility,
    games: r.games,
    ratedAt: r.rated_at,
  };
}

/** Every column toPlayerRating reads. */
export const PLAYER_RATING_COLUMNS = 'category, rating, deviation, volatility, games, rated_at';
