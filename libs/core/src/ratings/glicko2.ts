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

const DAY_MS = 86_400_000;

/** Whole rating periods of `periodDays` between the last assessment and now (0 when the clock runs back). */
export function idlePeriods(ratedAt: Date, now: Date, periodDays: number): number {
  return Math.max(0, Math.floor((now.getTime() - ratedAt.getTime()) / (periodDays * DAY_MS)));
}

/**
 * A rating after `periods` rating periods without games: the package rates the player over each
 * empty period, which is Glicko-2's step 6 alone (φ* = √(φ² + σ²); rating and volatility stay).
 * The deviation never exceeds a newcomer's: a long absence makes a player as uncertain as an
 * unrated one, not more (Glickman's cap for Glicko, kept here).
 */
export function ageRating(r: Glicko2Rating, periods: number): Glicko2Rating {
  if (periods <= 0 || r.deviation >= GLICKO2_SETTINGS.rd) return r;
  const system = new Glicko2(GLICKO2_SETTINGS);
  const player = system.makePlayer(r.rating, r.deviation, r.volatility);
  for (let i = 0; i < periods && player.getRd() < GLICKO2_SETTINGS.rd; i++) system.updateRatings([]);
  return { rating: r.rating, deviation: Math.min(player.getRd(), GLICKO2_SETTINGS.rd), volatility: r.volatility };
}

/** A stored rating as of `now`: aged by the whole rating periods since it was last assessed. */
export function ratingAt(r: Glicko2Rating, ratedAt: Date, now: Date, periodDays: number): Glicko2Rating {
  return ageRating(r, idlePeriods(ratedAt, now, periodDays));
}
