import { allowedIdx, Prepared, sameRegionIdx, unpairedLongestWaitFirst } from './prepared';
import { compareValues, MatchingValue } from './types';

const CAP_X = 128; // candidates examined per unpaired player in repair
const CAP_V = 16; // unpaired partners examined per side for an augmenting path
const MAX_PASSES = 4;

/**
 * One local move for an unpaired player u, with its change of the objective (`gain`, levels as in
 * MatchingValue). x is u's new partner in every kind; y below is x's partner before the move.
 */
export type RepairMove =
  /** u–x, both unpaired: +1 pair */
  | { kind: 'pair'; x: number; gain: MatchingValue }
  /** u replaces y as x's partner; y becomes unpaired */
  | { kind: 'swap'; x: number; gain: MatchingValue }
  /** augmenting path of length 3, u–x, y–v replaces x–y (v unpaired): +1 pair */
  | { kind: 'augment'; x: number; v: number; gain: MatchingValue };

const NO_GAIN: MatchingValue = [0, 0, 0, 0];

/** Applies a move chosen by bestMove for the unpaired player u. */
export function applyMove(partner: Int32Array, u: number, move: RepairMove): void {
  const y = partner[move.x];
  partner[u] = move.x;
  partner[move.x] = u;
  if (move.kind === 'swap') partner[y] = -1;
  else if (move.kind === 'augment') {
    partner[y] = move.v;
    partner[move.v] = y;
  }
}

/** Sorted unpaired ranks, snapshot at the start of a pass (entries may become paired since). */
class FreeRanks {
  constructor(readonly ranks: number[]) {}

  /** first position whose rank is >= rank */
  lowerBound(rank: number): number {
    let lo = 0;
    let hi = this.ranks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranks[mid] < rank) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Best still-unpaired v (not u) allowed with y, CAP_V nearest per side; -1 when none. */
function bestFreeFor(P: Prepared, partner: Int32Array, free: FreeRanks, y: number, u: number): number {
  const { rating, wait, window } = P;
  const pos = free.lowerBound(y);
  let bestV = -1;
  let bestVal: MatchingValue | null = null;
  for (const dir of [-1, 1]) {
    let seen = 0;
    for (let q = dir < 0 ? pos - 1 : pos; q >= 0 && q < free.ranks.length && seen < CAP_V; q += dir) {
      const v = free.ranks[q];
      if (Math.abs(rating[v] - rating[y]) > window[y]) break;
      if (v === u || v === y || partner[v] >= 0) continue;
      seen++;
      if (!allowedIdx(P, y, v)) continue;
      const val: MatchingValue = [0, wait[v], -Math.abs(rating[y] - rating[v]), sameRegionIdx(P, y, v) ? 1 : 0];
      if (bestVal === null || compareValues(val, bestVal) > 0) {
        bestVal = val;
        bestV = v;
      }
    }
  }
  return bestV;
}

/**
 * The strictly improving move for unpaired u with the best gain, among its CAP_X nearest allowed
 * rating neighbours x; null when none improves. Candidates are tried nearest first, the first of
 * equal gains is kept.
 */
function bestMove(P: Prepared, partner: Int32Array, free: FreeRanks, u: number): RepairMove | null {
  const { n, rating, wait, window } = P;
  const same = (i: number, j: number): number => (sameRegionIdx(P, i, j) ? 1 : 0);
  const gap = (i: number, j: number): number => Math.abs(rating[i] - rating[j]);
  let best: RepairMove | null = null;
  const improves = (gain: MatchingValue): boolean => compareValues(gain, best === null ? NO_GAIN : best.gain) > 0;
  let L = u - 1;
  let R = u + 1;
  for (let examined = 0; examined < CAP_X; examined++) {
    const dl = L >= 0 ? rating[u] - rating[L] : Infinity;
    const dr = R < n ? rating[R] - rating[u] : Infinity;
    if (Math.min(dl, dr) > window[u]) break;
    const x = dl <= dr ? L-- : R++;
    if (!allowedIdx(P, u, x)) continue;
    const y = partner[x];
    if (y < 0) {
      const gain: MatchingValue = [1, wait[u] + wait[x], -gap(u, x), same(u, x)];
      if (improves(gain)) best = { kind: 'pair', x, gain };
      continue;
    }
    const swap: MatchingValue = [0, wait[u] - wait[y], gap(x, y) - gap(u, x), same(u, x) - same(x, y)];
    if (improves(swap)) best = { kind: 'swap', x, gain: swap };
    const v = bestFreeFor(P, partner, free, y, u);
    if (v < 0) continue;
    const aug: MatchingValue = [
      1,
      wait[u] + wait[v],
      gap(x, y) - gap(u, x) - gap(y, v),
      same(u, x) + same(y, v) - same(x, y),
    ];
    if (improves(aug)) best = { kind: 'augment', x, v, gain: aug };
  }
  return best;
}

/** Phase C: local improvements for the unpaired, longest waiter first, each a strict lexicographic gain. */
export function repair(P: Prepared, partner: Int32Array): void {
  const { n } = P;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const ranks: number[] = [];
    for (let k = 0; k < n; k++) if (partner[k] < 0) ranks.push(k);
    if (ranks.length < 1) return;
    const free = new FreeRanks(ranks);
    const order = unpairedLongestWaitFirst(P, partner);
    let changed = false;
    for (const u of order) {
      if (partner[u] >= 0) continue;
      const move = bestMove(P, partner, free, u);
      if (move === null) continue;
      applyMove(partner, u, move);
      changed = true;
    }
    if (!changed) return;
  }
}
