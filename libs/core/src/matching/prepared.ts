import { ratingWindow } from '../rating-window';
import { MatchPolicy, Pair, parseCooldownKey, WaitingPlayer } from './types';

/**
 * Struct-of-arrays view of one pool at one instant, INDEXED BY RATING RANK (canonical order:
 * rating, region name (null last), enqueuedAt, id — independent of the input order). Both matchers scan rating
 * neighbours, so rank indexing keeps those scans sequential in memory; at 100k players random
 * access into scattered player objects was the dominant cost. Internal to the matchers.
 */
export interface Prepared {
  n: number;
  /** players[k] = the player of rating rank k */
  players: WaitingPlayer[];
  rating: Float64Array;
  enqueuedAt: Float64Array;
  wait: Float64Array; // ms, clamped >= 0
  window: Float64Array;
  fallback: Uint8Array; // 1 = waited >= regionFallbackSeconds
  region: Int32Array; // -1 = null, else index of the region name in sorted order
  /** userId per rank, and a 32-bit FNV-1a hash of it: equal hash is checked before comparing strings */
  userId: string[];
  userHash: Int32Array;
  blocked: Map<string, Set<string>> | null; // userId -> userIds in cooldown with it
  hasBlock: Uint8Array; // 1 = this rank's user has some cooldown partner in the pool
  /** ranks in queue order (enqueuedAt, then id): longest waiter first */
  queue: Int32Array;
  /** position of each rank in queue (smaller = waited longer) */
  qrank: Int32Array;
}

export function cmpId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TWO53 = 2 ** 53;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let c = 0; c < s.length; c++) h = Math.imul(h ^ s.charCodeAt(c), 16777619);
  return h | 0;
}

/**
 * Sorts indices 0..n-1 by `key` ascending, ties by `tie` ascending (tie values must be distinct
 * integers in [0, n)). Fast path: when keys are integers with a small enough range, a native
 * Float64Array sort of packed key*2^b + tie numbers (exact: everything stays below 2^53);
 * otherwise a comparator sort.
 */
function sortByKeyThenTie(key: Float64Array, tie: Int32Array): Int32Array {
  const n = key.length;
  const out = new Int32Array(n);
  if (n === 0) return out;
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const k = key[i];
    if (k < min) min = k;
    if (k > max) max = k;
    if (!Number.isInteger(k)) integral = false;
  }
  const scale = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  if (integral && (max - min + 1) * scale < TWO53) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (key[i] - min) * scale + tie[i];
    packed.sort();
    const byTie = new Int32Array(n);
    for (let i = 0; i < n; i++) byTie[tie[i]] = i;
    for (let q = 0; q < n; q++) out[q] = byTie[packed[q] % scale];
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = i;
  out.sort((x, y) => key[x] - key[y] || tie[x] - tie[y]);
  return out;
}

export function prepare(input: readonly WaitingPlayer[], nowMs: number, policy: MatchPolicy): Prepared {
  const n = input.length;
  // Cooldown partners per user (only users of this pool matter; the flag avoids most lookups).
  let blocked: Map<string, Set<string>> | null = null;
  if (policy.cooldown && policy.cooldown.size > 0) {
    blocked = new Map();
    for (const key of policy.cooldown) {
      const parsed = parseCooldownKey(key);
      if (!parsed) continue;
      for (const [x, y] of [parsed, [parsed[1], parsed[0]]]) {
        let s = blocked.get(x);
        if (!s) blocked.set(x, (s = new Set()));
        s.add(y);
      }
    }
    if (blocked.size === 0) blocked = null;
  }
  const b0 = new Uint8Array(n);
  // One sequential pass over the player objects (random-order object reads are what is slow).
  const r0 = new Float64Array(n);
  const e0 = new Float64Array(n);
  const g0 = new Int32Array(n);
  const u0: string[] = new Array(n);
  const h0 = new Int32Array(n);
  const regionIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = input[i];
    r0[i] = p.rating;
    e0[i] = p.enqueuedAt;
    if (p.region === null) g0[i] = -1;
    else {
      let r = regionIds.get(p.region);
      if (r === undefined) regionIds.set(p.region, (r = regionIds.size));
      g0[i] = r;
    }
    u0[i] = p.userId;
    h0[i] = fnv1a(p.userId);
    if (blocked !== null && blocked.has(p.userId)) b0[i] = 1;
  }
  // Region ids in first-seen order depend on the input order: remap to the sorted region names.
  const names = [...regionIds.keys()].sort(cmpId);
  const remap = new Int32Array(names.length);
  names.forEach((name, c) => (remap[regionIds.get(name)!] = c));
  for (let i = 0; i < n; i++) if (g0[i] >= 0) g0[i] = remap[g0[i]];
  // Queue order (enqueuedAt, then id): sort by (enqueuedAt, input index), then re-sort the rare
  // runs of equal enqueuedAt by id so that the result does not depend on the input order.
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const qIn = sortByKeyThenTie(e0, identity);
  for (let s = 0; s < n;) {
    let t = s + 1;
    while (t < n && e0[qIn[t]] === e0[qIn[s]]) t++;
    if (t - s === 2) {
      const x = qIn[s];
      const y = qIn[s + 1];
      if ((cmpId(input[x].id, input[y].id) || cmpId(input[x].userId, input[y].userId) || x - y) > 0) {
        qIn[s] = y;
        qIn[s + 1] = x;
      }
    } else if (t - s > 2) {
      const run = Array.from(qIn.subarray(s, t)).sort(
        (x, y) => cmpId(input[x].id, input[y].id) || cmpId(input[x].userId, input[y].userId) || x - y,
      );
      qIn.set(run, s);
    }
    s = t;
  }
  const qpos = new Int32Array(n);
  for (let q = 0; q < n; q++) qpos[qIn[q]] = q;
  // Rating order, ties by region (sorted names, null last), then queue order: canonical
  // (rating, region, enqueuedAt, id). Equal-rated players are interchangeable for the gap, so
  // grouping them by region puts same-region partners next to each other for the banded DP
  // (objective 4, same-region, at no cost to the others) and young players next to partners
  // they are allowed to play.
  const regionKey = new Float64Array(n);
  for (let i = 0; i < n; i++) regionKey[i] = g0[i] < 0 ? names.length : g0[i];
  const byRegion = sortByKeyThenTie(regionKey, qpos);
  const regionTie = new Int32Array(n);
  for (let k = 0; k < n; k++) regionTie[byRegion[k]] = k;
  const order = sortByKeyThenTie(r0, regionTie);

  const players: WaitingPlayer[] = new Array(n);
  const rating = new Float64Array(n);
  const enqueuedAt = new Float64Array(n);
  const wait = new Float64Array(n);
  const window = new Float64Array(n);
  const fallback = new Uint8Array(n);
  const region = new Int32Array(n);
  const userId: string[] = new Array(n);
  const userHash = new Int32Array(n);
  const rankOfInput = new Int32Array(n);
  const hasBlock = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    rankOfInput[i] = k;
    players[k] = input[i];
    rating[k] = r0[i];
    enqueuedAt[k] = e0[i];
    const waited = nowMs - e0[i];
    wait[k] = Math.max(0, waited);
    window[k] = ratingWindow(waited / 1000, policy);
    fallback[k] = waited / 1000 >= policy.regionFallbackSeconds ? 1 : 0;
    region[k] = g0[i];
    userId[k] = u0[i];
    userHash[k] = h0[i];
    hasBlock[k] = b0[i];
  }
  const queue = new Int32Array(n);
  const qrank = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const k = rankOfInput[qIn[q]];
    queue[q] = k;
    qrank[k] = q;
  }

  return {
    n,
    players,
    rating,
    enqueuedAt,
    wait,
    window,
    fallback,
    region,
    userId,
    userHash,
    blocked,
    hasBlock,
    queue,
    qrank,
  };
}

/** isAllowedPair on ranks (same rules, precomputed inputs). */
export function allowedIdx(P: Prepared, i: number, j: number): boolean {
  if (i === j || (P.userHash[i] === P.userHash[j] && P.userId[i] === P.userId[j])) return false;
  const gap = Math.abs(P.rating[i] - P.rating[j]);
  if (gap > P.window[i] || gap > P.window[j]) return false;
  const ri = P.region[i];
  const rj = P.region[j];
  if (ri !== rj && ri !== -1 && rj !== -1 && P.fallback[i] === 0 && P.fallback[j] === 0) return false;
  if (P.hasBlock[i] === 1 && P.blocked !== null) {
    const s = P.blocked.get(P.userId[i]);
    if (s !== undefined && s.has(P.userId[j])) return false;
  }
  return true;
}

export function sameRegionIdx(P: Prepared, i: number, j: number): boolean {
  return P.region[i] !== -1 && P.region[i] === P.region[j];
}

/**
 * Rank pairs → Pair objects in the canonical output order (by a's queue position), where a is
 * the longer waiter (smaller queue position = earlier enqueuedAt, tie by id). Avoids sorting
 * on the player objects.
 */
export function toPairs(P: Prepared, rankPairs: ReadonlyArray<readonly [number, number]>): Pair[] {
  const m = rankPairs.length;
  const firstQ = new Int32Array(m);
  const other = new Int32Array(P.n);
  for (let p = 0; p < m; p++) {
    const [i, j] = rankPairs[p];
    const [a, b] = P.qrank[i] < P.qrank[j] ? [i, j] : [j, i];
    firstQ[p] = P.qrank[a];
    other[a] = b;
  }
  firstQ.sort();
  const out: Pair[] = new Array(m);
  for (let p = 0; p < m; p++) {
    const a = P.queue[firstQ[p]];
    const b = other[a];
    out[p] = { a: P.players[a], b: P.players[b], gap: Math.abs(P.rating[a] - P.rating[b]) };
  }
  return out;
}
