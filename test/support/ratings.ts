import { Glicko2 } from 'glicko2';
import { DataSource } from 'typeorm';
import { insertMatch } from './fixtures';

export interface Rating {
  rating: number;
  deviation: number;
  volatility: number;
}
export interface StoredRow extends Rating {
  username: string | null;
  games: number;
}

export const NEWCOMER: Rating = { rating: 1500, deviation: 350, volatility: 0.06 };

/** What the glicko2 package itself says one game does, with the service's documented parameters. */
export function libraryRates(white: Rating, black: Rating, whiteScore: number): { white: Rating; black: Rating } {
  const system = new Glicko2({ tau: 0.5, rating: 1500, rd: 350, vol: 0.06 });
  const w = system.makePlayer(white.rating, white.deviation, white.volatility);
  const b = system.makePlayer(black.rating, black.deviation, black.volatility);
  system.updateRatings([[w, b, whiteScore]]);
  return {
    white: { rating: w.getRating(), deviation: w.getRd(), volatility: w.getVol() },
    black: { rating: b.getRating(), deviation: b.getRd(), volatility: b.getVol() },
  };
}

/** A rating as the API shows it. */
export const rounded = (r: Rating) => ({ rating: Math.round(r.rating), deviation: Number(r.deviation.toFixed(1)) });

/** Rating rows and rated games in the database of `db()`, read at each call (see `playerApi`). */
export function ratingsDb(db: () => DataSource) {
  return {
    stored: async (tenant: string, user: string, category = 'blitz'): Promise<StoredRow | undefined> => {
      const [row] = await db().query(
        `SELECT username, rating, deviation, volatility, games FROM player_ratings WHERE tenant_id = $1 AND user_id = $2 AND category = $3`,
        [tenant, user, category],
      );
      return row;
    },
    /** A CREATED match with a game id, as the game-creation job leaves it; answers the game id. */
    insertMatch: async (
      tenant: string,
      white: string,
      black: string,
      opts: { mode?: string; timeControl?: string; category?: string; variant?: string } = {},
    ): Promise<string> => (await insertMatch(db(), { tenant, white, black, named: true, ...opts })).gameId!,
  };
}
