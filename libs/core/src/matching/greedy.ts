import { allowedIdx, prepare, Prepared, toPairs } from './prepared';
import { MatchPolicy, Pair, WaitingPlayer } from './types';

/**
 * Baseline: players in queue order (enqueuedAt, then id); each still-unpaired player takes its
 * closest-rated allowed unpaired opponent (tie: the longer waiter). Scans outward from the player's
 * rating rank, skipping paired players through path-compressed "next unpaired" links, and stops as
 * soon as the rating distance exceeds the player's own window (nothing further can be allowed).
 */
export function greedyPairs(players: readonly WaitingPlayer[], nowMs: number, policy: MatchPolicy): Pair[] {
  const P = prepare(players, nowMs, policy);
  return toPairs(P, greedyOnPrepared(P));
}

/** Greedy on ranks; returns rank pairs. */
export function greedyOnPrepared(P: Prepared): Array<[number, number]> {
  const { n, rating, window } = P;
  const { queue, qrank } = P;
  // Disjoint-set "next unpaired rank" links, one per direction (left links shifted by one so
  // that slot 0 is the "-1" sentinel).
  const rightLink = new Int32Array(n + 1);
  const leftLink = new Int32Array(n + 1);
  for (let k = 0; k <= n; k++) rightLink[k] = leftLink[k] = k;
  const root = (link: Int32Array, k: number): number => {
    let r = k;
    while (link[r] !== r) r = link[r];
    while (link[k] !== r) {
      const nx = link[k];
      link[k] = r;
      k = nx;
    }
    return r;
  };
  /** smallest unpaired rank >= k, or n */
  const findRight = (k: number): number => root(rightLink, k);
  /** largest unpaired rank <= k, or -1 */
  const findLeft = (k: number): number => root(leftLink, k + 1) - 1;
  const markPaired = (k: number): void => {
    rightLink[k] = k + 1;
    leftLink[k + 1] = k;
  };

  const out: Array<[number, number]> = [];
  for (let q = 0; q < n; q++) {
    const i = queue[q];
    if (rightLink[i] !== i) continue; // already paired
    const w = window[i];
    const r = rating[i];
    let best = -1;
    let bestGap = Infinity;
    let L = i > 0 ? findLeft(i - 1) : -1;
    let R = i + 1 < n ? findRight(i + 1) : n;
    for (;;) {
      const dl = L >= 0 ? r - rating[L] : Infinity;
      const dr = R < n ? rating[R] - r : Infinity;
      const d = dl <= dr ? dl : dr;
      if (d > w || d > bestGap) break;
      const takeLeft = dl <= dr;
      const j = takeLeft ? L : R;
      if (allowedIdx(P, i, j) && (best < 0 || d < bestGap || qrank[j] < qrank[best])) {
        best = j;
        bestGap = d;
      }
      if (takeLeft) L = L > 0 ? findLeft(L - 1) : -1;
      else R = R + 1 < n ? findRight(R + 1) : n;
    }
    if (best >= 0) {
      markPaired(i);
      markPaired(best);
      out.push([i, best]);
    }
  }
  return out;
}
