export interface ColorHistory {
  userId: string;
  /** games played with white among the recent games */
  recentWhites: number;
  /** number of recent games; when given (for both), the white share is compared instead of the count */
  recentGames?: number;
}

/**
 * The player who had white less often recently gets white. With recentGames on both sides the white
 * share (whites / games; 0.5 when no games) is compared, otherwise the raw count. Ties go to the
 * injected random(): < 0.5 → 'a'.
 */
export function chooseWhite(a: ColorHistory, b: ColorHistory, random: () => number): 'a' | 'b' {
  const useShare = a.recentGames !== undefined && b.recentGames !== undefined;
  // compare whitesA/gamesA vs whitesB/gamesB by cross-multiplication (exact for integers)
  let diff: number;
  if (useShare) {
    const ga = a.recentGames as number;
    const gb = b.recentGames as number;
    const sa = ga > 0 ? [a.recentWhites, ga] : [1, 2];
    const sb = gb > 0 ? [b.recentWhites, gb] : [1, 2];
    diff = sa[0] * sb[1] - sb[0] * sa[1];
  } else {
    diff = a.recentWhites - b.recentWhites;
  }
  if (diff < 0) return 'a';
  if (diff > 0) return 'b';
  return random() < 0.5 ? 'a' : 'b';
}
