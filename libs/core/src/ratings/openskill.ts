import { rate } from 'openskill';

/**
 * Team ratings with OpenSkill's Weng-Lin Plackett-Luce model (the `openskill` package and its defaults:
 * μ 25, σ 25/3, β 25/6, τ 25/300). Players see them on the Glicko-2 scale, linearly:
 * rating = 1500 + (μ − 25) × 42 and deviation = σ × 42, so a newcomer reads 1500 ± 350 exactly like a
 * new Glicko-2 player (350 / (25/3) = 42), and the mapping is exact both ways.
 */
export const OPENSKILL_SCALE = { mu: 25, sigma: 25 / 3, rating: 1500, pointsPerMu: 42 } as const;

/** A `team_<category>` (formatCategory of a team format) rates with OpenSkill, every other with Glicko-2. */
export const isTeamCategory = (category: string): boolean => category.startsWith('team_');

/** One player's team rating as stored and shown: the 1500 scale. */
export interface TeamRating {
  rating: number;
  deviation: number;
}

/** OpenSkill's own numbers. */
export interface SkillRating {
  mu: number;
  sigma: number;
}

/** `a` or `b` won, or a draw (an aborted game rates nobody). */
export type TeamOutcome = 'a' | 'b' | 'draw';

export function toSkill(r: TeamRating): SkillRating {
  const { mu, rating, pointsPerMu } = OPENSKILL_SCALE;
  return { mu: mu + (r.rating - rating) / pointsPerMu, sigma: r.deviation / pointsPerMu };
}

export function fromSkill(s: SkillRating): TeamRating {
  const { mu, rating, pointsPerMu } = OPENSKILL_SCALE;
  return { rating: rating + (s.mu - mu) * pointsPerMu, deviation: s.sigma * pointsPerMu };
}

/** A newcomer's team rating: OpenSkill's default μ and σ on the 1500 scale (1500 ± 350). */
export const NEW_TEAM_RATING: TeamRating = fromSkill(OPENSKILL_SCALE);

/** Plackett-Luce ranks: lower is better, equal ranks are a draw. */
const RANKS: Record<TeamOutcome, [number, number]> = { a: [1, 2], b: [2, 1], draw: [1, 1] };

/**
 * Rates one team game: every player of both teams moves, in the order given. The maths is the
 * `openskill` package's; this only maps scales and outcomes.
 */
export function rateTeamGame(
  a: readonly TeamRating[],
  b: readonly TeamRating[],
  outcome: TeamOutcome,
): { a: TeamRating[]; b: TeamRating[] } {
  const [nextA, nextB] = rate([a.map(toSkill), b.map(toSkill)], { rank: RANKS[outcome] });
  return { a: nextA.map(fromSkill), b: nextB.map(fromSkill) };
}
