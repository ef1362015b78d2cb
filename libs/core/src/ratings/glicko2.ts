import { Glicko2 } from 'glicko2';

/** Glicko-2 state of one player in one category. */
export interface Glicko2Rating {
  rating: number;
  deviation: number;
  volatility: number;
}

/**
 * The system constant tau and a newcomer's rating, deviation and volatility (Glickman's defaults;
 * tau 0.5 is mid-range of his suggested 0.3–1.2 and keeps volatility from swinging on upsets).
 */
export const GLICKO2_SETTINGS = { tau: 0.5, rating: 1500, rd: 350, vol: 0.06 } as const;

/** White's score: 1 win, 0.5 draw, 0 loss. */
export type WhiteScore = 1 | 0.5 | 0;

/** Rates one game as a rating period of its own; the maths is the `glicko2` package's. */
export function rateGame(
  white: Glicko2Rating,
  black: Glicko2Rating,
  whiteScore: WhiteScore,
): { white: Glicko2Rating; black: Glicko2Rating } {
  const system = new Glicko2(GLICKO2_SETTINGS);
  const w = system.makePlayer(white.rating, white.deviation, white.volatility);
  const b = system.makePlayer(black.rating, black.deviation, black.volatility);
  system.updateRatings([[w, b, whiteScore]]);
  const read = (p: typeof w): Glicko2Rating => ({
    rating: p.getRating(),
    deviation: p.getRd(),
    volatility: p.getVol(),
  });
  return { white: read(w), black: read(b) };
}
