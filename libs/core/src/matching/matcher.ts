import { greedyOnPrepared } from './greedy';
import { allowedIdx, prepare, Prepared, sameRegionIdx, toPairs } from './prepared';
import { compareValues, MatchingValue, MatchPolicy, Pair, WaitingPlayer } from './types';

/*
 * Shipped matcher. WHY this shape:
 *
 * The objective is lexicographic: (1) #pairs, (2) total wait of paired players, (3) -total rating
 * gap, (4) #same-region pairs (last tie-break only: before the region fallback cross-region pairs
 * are forbidden outright by isAllowedPair; after it a fair game matters more than the region).
 * A general maximum-weight matching (blossom, O(n^3)) is far too slow for 100k players per tick,
 * but the compatibility graph is almost "local in rating": allowed partners lie within ±window in
 * rating, and gap (3) is itself a rating distance. So we sort by rating and run an EXACT dynamic
 * program over that order that only restricts how far apart (in rank) two partners may be:
 *
 *   Banded bitmask DP ("profile DP"): walking the rating-sorted list, the state is the set of the
 *   last K players that are still unpaired and available. Player t either stays open, or pairs with
 *   any open player among t-1..t-K that is allowed (window of both, region, user, cooldown). Values
 *   are 4-tuples compared lexicographically (no scaled single number, so no overflow/precision
 *   trade-offs; waits are summed as integer ms). This is the exact optimum over all matchings whose
 *   pairs are at most K ranks apart — crossing and nested pairs included, which matters because
 *   heterogeneous windows (a newcomer's narrow window next to two long waiters) make the
 *   "pair rating neighbours" rule wrong. K adapts to the list size (n·2^K·(K+1) work budget):
 *   K = n-1 (full exactness) for lists of <= 12, K = 3 at 100k where neighbours are dense.
 *   The rank order breaks rating ties by region (prepared.ts), so equal-rated same-region players
 *   are adjacent: the DP gets objective (4) among equal gaps without a wider band.
 *
 * Strategies (each followed by phase C):
 *   'global' (always; the only one above GUARD_MAX_N): B. the DP over everybody with the full rule,
 *      then once more over its leftovers (young players whose allowed partners — same region,
 *      null, or past fallback — were more than K ranks away among other regions' players).
 *   'split' (pools <= GUARD_MAX_N, as an extra candidate): A. the DP inside each region bucket
 *      first, B. then over the leftovers plus null-region players. Under the old order (region
 *      above gap) this was the main path; now it mostly loses on gap (about 4x the total gap of
 *      'global' on the bench pools), but on young-heavy pools it sometimes pairs one more player
 *      (~5% of random 16–2000-player pools with waits < 40 s), so it stays as a cheap candidate.
 *   C. C0: bounded augmenting paths (length <= 7, +1 pair each) for the still-unpaired, then local
 *      repair, each step a strict lexicographic improvement: direct pair of two unpaired players,
 *      augmenting path of length 3 (u–x, y–v replaces x–y: +1 pair), and swap (u replaces y as x's
 *      partner when that raises total wait, or equal wait with a smaller gap / more same-region).
 *   D. for pools <= GUARD_MAX_N the lexicographically best of 'global', 'split' and the greedy
 *      baseline itself (safety net) is kept. Skipped for bigger pools to stay within the 250 ms
 *      latency budget at 100k.
 *
 * Where it is NOT the global optimum: pairs further apart than K ranks within one DP list are never
 * formed by the DP (phase C only finds some of them), and C0 misses augmentations that need blossom
 * shrinking or longer paths. Exact guarantees: any pool of <= 12 players ('global' then has
 * K = n-1, a full search over all matchings). Measured: on the 300-player bench pool the result
 * equals the blossom optimum; on 10k/100k pools every player is paired and the mean gap is a
 * fraction of greedy's.
 */

const WORK_BUDGET = 500_000; // n * 2^K * (K+1) per DP list, but never below K_MIN
const K_MAX = 11;
const K_MIN = 3;

export function chooseBand(m: number): number {
  if (m <= 1) return 0;
  let k = Math.min(m - 1, K_MIN);
  while (k < Math.min(m - 1, K_MAX) && m * (1 << (k + 1)) * (k + 2) <= WORK_BUDGET) k++;
  return k;
}

/**
 * Exact banded DP over `list` (indices in rating order). Returns pairs (index pairs).
 * `partner` is filled for matched players.
 */
export function bandDp(P: Prepared, list: Int32Array, K: number, partner: Int32Array): number {
  const m = list.length;
  if (m < 2 || K < 1) return 0;
  const S = 1 << K;
  const full = S - 1;
  const { rating, wait, window } = P;

  // allowed bits: bit b set when list[t] may pair with list[t-b-1]
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

  let cp = new Float64Array(S);
  let cw = new Float64Array(S);
  let cs = new Float64Array(S);
  let cg = new Float64Array(S);
  let np = new Float64Array(S);
  let nw = new Float64Array(S);
  let ns = new Float64Array(S);
  let ng = new Float64Array(S);
  const prev = S <= 256 ? new Uint8Array(m * S) : new Uint16Array(m * S);
  const act = new Int8Array(m * S); // 0 = stays open/unpaired, d>0 = paired with t-d
  cp.fill(-1);
  cp[0] = 0;

  for (let t = 0; t < m; t++) {
    np.fill(-1);
    const i = list[t];
    const wi = wait[i];
    const ri = rating[i];
    const ti = list[t];
    const avail0 = bits[t];
    const base = t * S;
    for (let mask = 0; mask < S; mask++) {
      const p = cp[mask];
      if (p < 0) continue;
      const w = cw[mask];
      const s = cs[mask];
      const g = cg[mask];
      // i stays open
      let m2 = ((mask << 1) | 1) & full;
      {
        const q = np[m2];
        if (p > q || (p === q && (w > nw[m2] || (w === nw[m2] && (g > ng[m2] || (g === ng[m2] && s > ns[m2])))))) {
          np[m2] = p;
          nw[m2] = w;
          ns[m2] = s;
          ng[m2] = g;
          prev[base + m2] = mask;
          act[base + m2] = 0;
        }
      }
      let avail = mask & avail0;
      while (avail !== 0) {
        const low = avail & -avail;
        avail ^= low;
        const b = 31 - Math.clz32(low);
        const j = list[t - b - 1];
        m2 = ((mask ^ low) << 1) & full;
        const p2 = p + 1;
        const w2 = w + wi + wait[j];
        const s2 = s + (sameRegionIdx(P, ti, j) ? 1 : 0);
        const g2 = g - (ri - rating[j]);
        const q = np[m2];
        if (
          p2 > q ||
          (p2 === q && (w2 > nw[m2] || (w2 === nw[m2] && (g2 > ng[m2] || (g2 === ng[m2] && s2 > ns[m2])))))
        ) {
          np[m2] = p2;
          nw[m2] = w2;
          ns[m2] = s2;
          ng[m2] = g2;
          prev[base + m2] = mask;
          act[base + m2] = b + 1;
        }
      }
    }
    [cp, np] = [np, cp];
    [cw, nw] = [nw, cw];
    [cs, ns] = [ns, cs];
    [cg, ng] = [ng, cg];
  }

  let best = -1;
  for (let mask = 0; mask < S; mask++) {
    if (cp[mask] < 0) continue;
    if (
      best < 0 ||
      cp[mask] > cp[best] ||
      (cp[mask] === cp[best] &&
        (cw[mask] > cw[best] ||
          (cw[mask] === cw[best] && (cg[mask] > cg[best] || (cg[mask] === cg[best] && cs[mask] > cs[best])))))
    )
      best = mask;
  }
  let made = 0;
  let mask = best;
  for (let t = m - 1; t >= 0; t--) {
    const a = act[t * S + mask];
    const pm = prev[t * S + mask];
    if (a > 0) {
      const i = list[t];
      const j = list[t - a];
      partner[i] = j;
      partner[j] = i;
      made++;
    }
    mask = pm;
  }
  return made;
}

type Delta = [number, number, number, number];
function better(x: Delta, y: Delta | null): boolean {
  if (y === null) return compareValues(x, [0, 0, 0, 0]) > 0;
  return compareValues(x, y) > 0;
}

const CAP_X = 128; // candidates examined per unpaired player in repair
const CAP_V = 16; // unpaired partners examined per side for an augmenting path
const MAX_PASSES = 4;

/** Phase C: local improvements, each a strict lexicographic gain. */
export function repair(P: Prepared, partner: Int32Array): void {
  const { n, rating, wait, window } = P;
  const same = (i: number, j: number): number => (sameRegionIdx(P, i, j) ? 1 : 0);
  const gap = (i: number, j: number): number => Math.abs(rating[i] - rating[j]);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // unpaired players by rank (snapshot) and in processing order (longest wait first, then rank)
    const free: number[] = [];
    for (let k = 0; k < n; k++) if (partner[k] < 0) free.push(k);
    if (free.length < 1) return;
    const order = free.slice().sort((x, y) => wait[y] - wait[x] || x - y);
    let changed = false;

    const lowerBound = (rank: number): number => {
      let lo = 0;
      let hi = free.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (free[mid] < rank) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    /** best unpaired v (not u) allowed with y, nearest first, deterministic */
    const findFreeFor = (y: number, u: number): number => {
      const pos = lowerBound(y);
      let bestV = -1;
      let bestVal: Delta | null = null;
      for (const dir of [-1, 1]) {
        let seen = 0;
        for (let q = dir < 0 ? pos - 1 : pos; q >= 0 && q < free.length && seen < CAP_V; q += dir) {
          const v = free[q];
          if (Math.abs(rating[v] - rating[y]) > window[y]) break;
          if (v === u || v === y || partner[v] >= 0) continue;
          seen++;
          if (!allowedIdx(P, y, v)) continue;
          const val: Delta = [0, wait[v], -gap(y, v), same(y, v)];
          if (bestVal === null || compareValues(val, bestVal) > 0) {
            bestVal = val;
            bestV = v;
          }
        }
      }
      return bestV;
    };

    for (const u of order) {
      if (partner[u] >= 0) continue;
      const ku = u;
      let bestD: Delta | null = null;
      let bx = -1;
      let bv = -1; // -2 = direct pair, >=0 = augment partner for old partner y, -1 = swap
      let L = ku - 1;
      let R = ku + 1;
      let examined = 0;
      while (examined < CAP_X) {
        const dl = L >= 0 ? rating[u] - rating[L] : Infinity;
        const dr = R < n ? rating[R] - rating[u] : Infinity;
        const d = Math.min(dl, dr);
        if (d > window[u]) break;
        const x = dl <= dr ? L-- : R++;
        examined++;
        if (!allowedIdx(P, u, x)) continue;
        const y = partner[x];
        if (y < 0) {
          const dd: Delta = [1, wait[u] + wait[x], -gap(u, x), same(u, x)];
          if (better(dd, bestD)) [bestD, bx, bv] = [dd, x, -2];
          continue;
        }
        const sw: Delta = [0, wait[u] - wait[y], gap(x, y) - gap(u, x), same(u, x) - same(x, y)];
        if (better(sw, bestD)) [bestD, bx, bv] = [sw, x, -1];
        const v = findFreeFor(y, u);
        if (v >= 0) {
          const au: Delta = [
            1,
            wait[u] + wait[v],
            gap(x, y) - gap(u, x) - gap(y, v),
            same(u, x) + same(y, v) - same(x, y),
          ];
          if (better(au, bestD)) [bestD, bx, bv] = [au, x, v];
        }
      }
      if (bestD === null) continue;
      changed = true;
      if (bv === -2) {
        partner[u] = bx;
        partner[bx] = u;
      } else {
        const y = partner[bx];
        partner[u] = bx;
        partner[bx] = u;
        partner[y] = -1;
        if (bv >= 0) {
          partner[y] = bv;
          partner[bv] = y;
        }
      }
    }
    if (!changed) return;
  }
}

const AUG_DEPTH = 3; // paired edges crossed by one augmenting path (path length <= 2·3+1 = 7)
const AUG_BRANCH = 8; // allowed rating neighbours tried per step

/**
 * Phase C0: bounded augmenting paths u – x1 = y1 – x2 = y2 – … – v (u, v unpaired, xk = yk paired):
 * flipping the path gives +1 pair, objective (1), whatever it does to the lower levels (repair C
 * then improves those locally). Depth-first over the AUG_BRANCH nearest allowed players per step,
 * vertex-disjoint paths only (no blossom shrinking, so some longer augmentations are missed).
 * Catches what the band DP and repair's length-3 paths miss when young players' allowed partners
 * (same region / null / past fallback) sit far apart in rating order.
 */
export function augment(P: Prepared, partner: Int32Array): number {
  const { n, rating, window, wait } = P;
  const stamp = new Int32Array(n);
  let epoch = 0;
  const path: number[] = [];
  /** y is the current end of the path (free to take a new partner); true when completed */
  const dfs = (y: number, depth: number): boolean => {
    let L = y - 1;
    let R = y + 1;
    let tried = 0;
    while (tried < AUG_BRANCH) {
      const dl = L >= 0 ? rating[y] - rating[L] : Infinity;
      const dr = R < n ? rating[R] - rating[y] : Infinity;
      if (Math.min(dl, dr) > window[y]) break;
      const x = dl <= dr ? L-- : R++;
      if (stamp[x] === epoch || !allowedIdx(P, y, x)) continue;
      const z = partner[x];
      if (z < 0) {
        path.push(x);
        return true;
      }
      if (stamp[z] === epoch) continue;
      tried++;
      if (depth <= 1) continue;
      stamp[x] = epoch;
      stamp[z] = epoch;
      path.push(x, z);
      if (dfs(z, depth - 1)) return true;
      path.length -= 2;
    }
    return false;
  };
  const free: number[] = [];
  for (let k = 0; k < n; k++) if (partner[k] < 0) free.push(k);
  free.sort((x, y) => wait[y] - wait[x] || x - y);
  let made = 0;
  for (const u of free) {
    if (partner[u] >= 0) continue;
    epoch++;
    stamp[u] = epoch;
    path.length = 0;
    path.push(u);
    if (!dfs(u, AUG_DEPTH)) continue;
    // path = u, x1, y1, x2, y2, …, v: re-pair (u,x1), (y1,x2), …, (y_last, v)
    for (let k = 0; k + 1 < path.length; k += 2) {
      partner[path[k]] = path[k + 1];
      partner[path[k + 1]] = path[k];
    }
    made++;
  }
  return made;
}

/** Phase D (the 'global' candidate and the greedy safety net) runs for pools up to this size. */
export const GUARD_MAX_N = 20_000;

export type Strategy = 'split' | 'global';

export interface MatchStats {
  /** strategy whose result was kept ('greedy' = phase D fallback) */
  chosen: Strategy | 'greedy';
  /** pairs of each strategy that ran, after repair */
  pairsByStrategy: Partial<Record<Strategy | 'greedy', number>>;
}

/** Phases A, B, C ('split') or B (two passes) + C ('global'); see the header. Rank pairs. */
function runStrategy(P: Prepared, strategy: Strategy): Array<[number, number]> {
  const { n, region } = P;
  const partner = new Int32Array(n).fill(-1);
  if (strategy === 'split') {
    // Phase A: per region bucket, in rating order (buckets are disjoint: their order is irrelevant)
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      if (region[i] < 0) continue;
      let b = buckets.get(region[i]);
      if (!b) buckets.set(region[i], (b = []));
      b.push(i);
    }
    for (const list of buckets.values()) {
      const arr = Int32Array.from(list);
      bandDp(P, arr, chooseBand(arr.length), partner);
    }
  }
  // Phase B: everybody still unpaired (leftovers + null-region players; or all), full rule.
  // 'global' runs it twice: the second pass sees only the leftovers of the first, now adjacent in
  // rating order — young players whose allowed partners (same region / null / past fallback) were
  // more than K ranks away among players of other regions.
  const passes = strategy === 'global' ? 2 : 1;
  for (let pass = 0; pass < passes; pass++) {
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (partner[i] < 0) rest.push(i);
    if (rest.length < 2) break;
    const restArr = Int32Array.from(rest);
    if (bandDp(P, restArr, chooseBand(restArr.length), partner) === 0) break; // nothing changed
  }
  // Phase C
  augment(P, partner);
  repair(P, partner);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) if (partner[i] > i) out.push([i, partner[i]]);
  return out;
}

/**
 * findPairs with its internals exposed (tests/bench). `strategies` defaults to both for pools
 * <= GUARD_MAX_N and 'global' above; `guard` (phase D) defaults likewise.
 */
export function findPairsDetailed(
  players: readonly WaitingPlayer[],
  nowMs: number,
  policy: MatchPolicy,
  options: { guard?: boolean; strategies?: Strategy[] } = {},
): { pairs: Pair[]; stats: MatchStats } {
  const P = prepare(players, nowMs, policy);
  const small = P.n <= GUARD_MAX_N;
  const strategies = options.strategies ?? (small ? (['global', 'split'] as Strategy[]) : (['global'] as Strategy[]));
  const pairsByStrategy: MatchStats['pairsByStrategy'] = {};
  let best: Array<[number, number]> = [];
  let bestValue: MatchingValue | null = null;
  let chosen: MatchStats['chosen'] = strategies[0] ?? 'global';
  const consider = (name: Strategy | 'greedy', pairs: Array<[number, number]>): void => {
    pairsByStrategy[name] = pairs.length;
    const v = valueOf(P, pairs);
    if (bestValue === null || compareValues(v, bestValue) > 0) {
      best = pairs;
      bestValue = v;
      chosen = name;
    }
  };
  for (const s of strategies) consider(s, runStrategy(P, s));
  // Phase D
  if (options.guard ?? small) consider('greedy', greedyOnPrepared(P));
  return { pairs: toPairs(P, best), stats: { chosen, pairsByStrategy } };
}

function valueOf(P: Prepared, pairs: Array<[number, number]>): MatchingValue {
  let w = 0;
  let s = 0;
  let g = 0;
  for (const [i, j] of pairs) {
    w += P.wait[i] + P.wait[j];
    s += sameRegionIdx(P, i, j) ? 1 : 0;
    g += Math.abs(P.rating[i] - P.rating[j]);
  }
  return [pairs.length, w, -g, s];
}

/**
 * The shipped matcher: deterministic (input order does not matter: everything runs on the
 * canonical (rating, enqueuedAt, id) order), pure, no randomness.
 */
export function findPairs(players: readonly WaitingPlayer[], nowMs: number, policy: MatchPolicy): Pair[] {
  return findPairsDetailed(players, nowMs, policy).pairs;
}
