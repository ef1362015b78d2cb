import { allowedIdx, Prepared, sameRegionIdx } from './prepared';

/*
 * Phase A/B of the matcher (see matcher.ts): the exact banded bitmask DP over a rating-ordered list.
 * State after player t: the set of the last K players still open. Each state holds the best
 * lexicographic value (pairs, wait ms, −gap, same-region) of any matching that leads to it.
 */

const WORK_BUDGET = 500_000; // n * 2^K * (K+1) per DP list, but never below K_MIN
const K_MAX = 11;
const K_MIN = 3;

/** Band width K for a list of m players: as wide as WORK_BUDGET allows, within [K_MIN, K_MAX]. */
export function chooseBand(m: number): number {
  if (m <= 1) return 0;
  let k = Math.min(m - 1, K_MIN);
  while (k < Math.min(m - 1, K_MAX) && m * (1 << (k + 1)) * (k + 2) <= WORK_BUDGET) k++;
  return k;
}

/** Slots per DP state: [pairs (−1 = unreachable), wait ms, −gap, same-region pairs]. */
const SLOTS = 4;

/**
 * True when (p, w, g, s) is lexicographically better than the state stored at v[o..o+3].
 * Compared exactly: waits are integer ms and the gap sums are exact for integer ratings.
 */
function better(p: number, w: number, g: number, s: number, v: Float64Array, o: number): boolean {
  const q = v[o];
  if (p !== q) return p > q;
  const x = v[o + 1];
  if (w !== x) return w > x;
  const y = v[o + 2];
  if (g !== y) return g > y;
  return s > v[o + 3];
}

/** bits[t], bit b set: list[t] may pair with list[t-b-1]. */
function allowedBits(P: Prepared, list: Int32Array, K: number): Int32Array {
  const { rating, window } = P;
  const m = list.length;
  const bits = new Int32Array(m);
  for (let t = 1; t < m; t++) {
    const i = list[t];
    const ri = rating[i];
    const wi = window[i];
    let mask = 0;
    for (let b = 0; b < K && t - b - 1 >= 0; b++) {
      const j = list[t - b - 1];
      if (ri - rating[j] > wi) break; // sorted: further ranks are even further in rating
      if (allowedIdx(P, i, j)) mask |= 1 << b;
    }
    bits[t] = mask;
  }
  return bits;
}

/**
 * Exact banded DP over `list` (ranks in rating order) with band K: fills `partner` for the pairs
 * of the best matching whose partners are at most K list positions apart. Returns the pairs made.
 */
export function bandDp(P: Prepared, list: Int32Array, K: number, partner: Int32Array): number {
  const m = list.length;
  if (m < 2 || K < 1) return 0;
  const S = 1 << K;
  const full = S - 1;
  const { rating, wait } = P;
  const bits = allowedBits(P, list, K);

  let cur = new Float64Array(S * SLOTS).fill(-1);
  let nxt = new Float64Array(S * SLOTS);
  cur.fill(0, 0, SLOTS); // empty prefix: nobody open, nothing paired
  const prev = S <= 256 ? new Uint8Array(m * S) : new Uint16Array(m * S);
  const act = new Int8Array(m * S); // 0 = list[t] stays open, d > 0 = paired with list[t-d]

  for (let t = 0; t < m; t++) {
    nxt.fill(-1); // only slot 0 (pairs) marks reachability; the rest is written with it
    const i = list[t];
    const wi = wait[i];
    const ri = rating[i];
    const avail0 = bits[t];
    const base = t * S;
    for (let mask = 0; mask < S; mask++) {
      const o = mask * SLOTS;
      const p = cur[o];
      if (p < 0) continue;
      const w = cur[o + 1];
      const g = cur[o + 2];
      const s = cur[o + 3];
      // i stays open
      let m2 = ((mask << 1) | 1) & full;
      let o2 = m2 * SLOTS;
      if (better(p, w, g, s, nxt, o2)) {
        nxt[o2] = p;
        nxt[o2 + 1] = w;
        nxt[o2 + 2] = g;
        nxt[o2 + 3] = s;
        prev[base + m2] = mask;
        act[base + m2] = 0;
      }
      // i pairs with an open, allowed list[t-b-1]
      let avail = mask & avail0;
      while (avail !== 0) {
        const low = avail & -avail;
        avail ^= low;
        const b = 31 - Math.clz32(low);
        const j = list[t - b - 1];
        m2 = ((mask ^ low) << 1) & full;
        o2 = m2 * SLOTS;
        const p2 = p + 1;
        const w2 = w + wi + wait[j];
        const g2 = g - (ri - rating[j]);
        const s2 = s + (sameRegionIdx(P, i, j) ? 1 : 0);
        if (better(p2, w2, g2, s2, nxt, o2)) {
          nxt[o2] = p2;
          nxt[o2 + 1] = w2;
          nxt[o2 + 2] = g2;
          nxt[o2 + 3] = s2;
          prev[base + m2] = mask;
          act[base + m2] = b + 1;
        }
      }
    }
    [cur, nxt] = [nxt, cur];
  }

  let best = -1;
  for (let mask = 0; mask < S; mask++) {
    const o = mask * SLOTS;
    if (cur[o] < 0) continue;
    if (best < 0 || better(cur[o], cur[o + 1], cur[o + 2], cur[o + 3], cur, best * SLOTS)) best = mask;
  }
  return traceBack(list, S, prev, act, best, partner);
}

/** Follows the DP's choices back from the final state `mask`, pairing in `partner`. */
function traceBack(
  list: Int32Array,
  S: number,
  prev: Uint8Array | Uint16Array,
  act: Int8Array,
  mask: number,
  partner: Int32Array,
): number {
  let made = 0;
  for (let t = list.length - 1; t >= 0; t--) {
    const a = act[t * S + mask];
    if (a > 0) {
      const i = list[t];
      const j = list[t - a];
      partner[i] = j;
      partner[j] = i;
      made++;
    }
    mask = prev[t * S + mask];
  }
  return made;
}
