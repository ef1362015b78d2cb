import {
  compareValues,
  isAllowedPair,
  isSameRegion,
  makePair,
  MatchingValue,
  MatchPolicy,
  Pair,
  scorePairs,
  WaitingPlayer,
  waitMs,
} from '../matching/types';

/**
 * Exhaustive lexicographic optimum (tests / benchmarks only; exponential, use n <= ~14).
 * Enumerates every matching of allowed pairs: the first free player is either left out or
 * paired with any later allowed free player.
 */
export function bruteForceOptimum(
  players: readonly WaitingPlayer[],
  nowMs: number,
  policy: MatchPolicy,
): { pairs: Pair[]; value: MatchingValue } {
  const n = players.length;
  const ok: boolean[][] = players.map((a) => players.map((b) => a !== b && isAllowedPair(a, b, nowMs, policy)));
  const used = new Array<boolean>(n).fill(false);
  const current: Array<[number, number]> = [];
  let best: Array<[number, number]> = [];
  let bestValue: MatchingValue = [0, 0, 0, 0];
  const rec = (start: number, v: MatchingValue): void => {
    let i = start;
    while (i < n && used[i]) i++;
    if (i >= n) {
      if (compareValues(v, bestValue) > 0) {
        bestValue = v;
        best = current.slice();
      }
      return;
    }
    used[i] = true;
    rec(i + 1, v); // i unpaired
    for (let j = i + 1; j < n; j++) {
      if (used[j] || !ok[i][j]) continue;
      used[j] = true;
      current.push([i, j]);
      const a = players[i];
      const b = players[j];
      rec(i + 1, [
        v[0] + 1,
        v[1] + waitMs(a, nowMs) + waitMs(b, nowMs),
        v[2] - Math.abs(a.rating - b.rating),
        v[3] + (isSameRegion(a, b) ? 1 : 0),
      ]);
      current.pop();
      used[j] = false;
    }
    used[i] = false;
  };
  rec(0, [0, 0, 0, 0]);
  const pairs = best.map(([i, j]) => makePair(players[i], players[j]));
  return { pairs, value: scorePairs(pairs, nowMs) };
}
