import { augment } from './augment';
import { bandDp, chooseBand } from './band-dp';
import { greedyOnPrepared } from './greedy';
import { prepare, Prepared, sameRegionIdx, toPairs } from './prepared';
import { repair } from './repair';
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
 *
 * Files: prepared.ts (the rank-indexed view and the pair rule on ranks), band-dp.ts (A, B),
 * augment.ts (C0), repair.ts (C), greedy.ts (the baseline of D); this file runs the strategies.
 */

/** The 'split' candidate and phase D (greedy safety net) run for pools up to this size (latency at 100k). */
const GUARD_MAX_N = 20_000;

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
 * canonical (rating, region, enqueuedAt, id) order), pure, no randomness. The pairs come out in their
 * `a`'s queue order (enqueuedAt, then id): the longest waiters' pairs first, which the tick's pair cap keeps.
 */
export function findPairs(players: readonly WaitingPlayer[], nowMs: number, policy: MatchPolicy): Pair[] {
  return findPairsDetailed(players, nowMs, policy).pairs;
}
