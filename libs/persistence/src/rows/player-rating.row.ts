/** Glicko-2 defaults of a player with no games in a category. */
export const DEFAULT_RATING = 1500;
export const DEFAULT_DEVIATION = 350;
export const DEFAULT_VOLATILITY = 0.06;
