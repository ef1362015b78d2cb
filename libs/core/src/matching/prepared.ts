import { ratingWindow } from '../rating-window';
import { sortByKeyThenTie } from './sort';
import { Cooldown, inCooldown, MatchPolicy, Pair, WaitingPlayer } from './types';

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
  wait: Float64Array; // ms, clamped >= 0
  window: Float64Array;
  fallback: Uint8Array; // 1 = waited >= regionFallbackSeconds
  region: Int32Array; // -1 = null, else index of the region name in sorted order
  /** userId per rank, and a 32-bit FNV-1a hash of it: equal hash is checked before comparing strings */
  userId: string[];
  userHash: Int32Array;
  /** the policy's cooldown, null when empty */
  blocked: Cooldown | null;
  /** 1 = this rank's user has an entry in the cooldown map (most players have none: no lookup) */
  hasBlock: Uint8Array;
  /** ranks in queue order (enqueuedAt, then id): longest waiter first */
  queue: Int32Array;
  /** position of each rank in queue (smaller = waited longer) */
  qrank: Int32Array;
}

function cmpId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let c = 0; c < s.length; c++) h = Math.imul(h ^ s.charCodeAt(c), 16777619);
  return h | 0;
}

/** Input-order columns, read in one sequential pass (random-order object reads are what is slow). */
interface Columns {
  rating: Float64Array;
  enqueuedAt: Float64Array;
  /** index of the region name in sorted order, -1 = null */
  region: Int32Array;
  regionCount: number;
  userId: string[];
  userHash: Int32Array;
  hasBlock: Uint8Array;
}

function readColumns(input: readonly WaitingPlayer[], blocked: Cooldown | null): Columns {
  const n = input.length;
  const rating = new Float64Array(n);
  const enqueuedAt = new Float64Array(n);
  const region = new Int32Array(n);
  const userId: string[] = new Array(n);
  const userHash = new Int32Array(n);
  const hasBlock = new Uint8Array(n);
  const regionIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const p = input[i];
    rating[i] = p.rating;
    enqueuedAt[i] = p.enqueuedAt;
    if (p.region === null) region[i] = -1;
    else {
      let r = regionIds.get(p.region);
      if (r === undefined) regionIds.set(p.region, (r = regionIds.size));
      region[i] = r;
    }
    userId[i] = p.userId;
    userHash[i] = fnv1a(p.userId);
    if (blocked !== null && blocked.has(p.userId)) hasBlock[i] = 1;
  }
  // Region ids in first-seen order depend on the input order: remap to the sorted region names.
  const names = [...regionIds.keys()].sort(cmpId);
  const remap = new Int32Array(names.length);
  names.forEach((name, c) => (remap[regionIds.get(name)!] = c));
  for (let i = 0; i < n; i++) if (region[i] >= 0) region[i] = remap[region[i]];
  return { rating, enqueuedAt, region, regionCount: names.length, userId, userHash, hasBlock };
}

/** True when the input already is in queue order (enqueuedAt, then id), as the service reads it. */
function inQueueOrder(input: readonly WaitingPlayer[], enqueuedAt: Float64Array): boolean {
  for (let i = 1; i < input.length; i++) {
    const d = enqueuedAt[i] - enqueuedAt[i - 1];
    if (!(d > 0) && !(d === 0 && input[i - 1].id < input[i].id)) return false;
  }
  return true;
}

/**
 * Input indices in queue order (enqueuedAt, then id): sorted by (enqueuedAt, input index), then
 * the rare runs of equal enqueuedAt re-sorted by id so that the result does not depend on the
 * input order. An input already in that order (distinct ids) is taken as it is: one linear check
 * instead of two sorts of every player.
 */
function queueOrder(input: readonly WaitingPlayer[], enqueuedAt: Float64Array): Int32Array {
  const n = input.length;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  if (inQueueOrder(input, enqueuedAt)) return identity;
  const byIds = (x: number, y: number): number =>
    cmpId(input[x].id, input[y].id) || cmpId(input[x].userId, input[y].userId) || x - y;
  const qIn = sortByKeyThenTie(enqueuedAt, identity);
  for (let s = 0; s < n;) {
    let t = s + 1;
    while (t < n && enqueuedAt[qIn[t]] === enqueuedAt[qIn[s]]) t++;
    if (t - s === 2) {
      const x = qIn[s];
      const y = qIn[s + 1];
      if (byIds(x, y) > 0) {
        qIn[s] = y;
        qIn[s + 1] = x;
      }
    } else if (t - s > 2) {
      qIn.set(Array.from(qIn.subarray(s, t)).sort(byIds), s);
    }
    s = t;
  }
  return qIn;
}

/**
 * Input indices in rank order: rating, ties by region (sorted names, null last), then queue
 * order. Equal-rated players are interchangeable for the gap, so grouping them by region puts
 * same-region partners next to each other for the banded DP (objective 4 at no cost to the
 * others) and young players next to partners they are allowed to play.
 */
function rankOrder(cols: Columns, qIn: Int32Array): Int32Array {
  const n = qIn.length;
  const qpos = new Int32Array(n);
  for (let q = 0; q < n; q++) qpos[qIn[q]] = q;
  const regionKey = new Float64Array(n);
  for (let i = 0; i < n; i++) regionKey[i] = cols.region[i] < 0 ? cols.regionCount : cols.region[i];
  const byRegion = sortByKeyThenTie(regionKey, qpos);
  const regionTie = new Int32Array(n);
  for (let k = 0; k < n; k++) regionTie[byRegion[k]] = k;
  return sortByKeyThenTie(cols.rating, regionTie);
}

export function prepare(input: readonly WaitingPlayer[], nowMs: number, policy: MatchPolicy): Prepared {
  const n = input.length;
  const blocked = policy.cooldown !== undefined && policy.cooldown.size > 0 ? policy.cooldown : null;
  const cols = readColumns(input, blocked);
  const qIn = queueOrder(input, cols.enqueuedAt);
  const order = rankOrder(cols, qIn);

  const players: WaitingPlayer[] = new Array(n);
  const rating = new Float64Array(n);
  const wait = new Float64Array(n);
  const window = new Float64Array(n);
  const fallback = new Uint8Array(n);
  const region = new Int32Array(n);
  const userId: string[] = new Array(n);
  const userHash = new Int32Array(n);
  const hasBlock = new Uint8Array(n);
  const rankOfInput = new Int32Array(n);
  for (let k = 0; k < n; k++) rankOfInput[order[k]] = k;
  // in input order, each to its rank: the reads sequential, the writes scattered (cheaper than scattered reads)
  for (let i = 0; i < n; i++) {
    const k = rankOfInput[i];
    players[k] = input[i];
    rating[k] = cols.rating[i];
    const waited = nowMs - cols.enqueuedAt[i];
    wait[k] = Math.max(0, waited);
    window[k] = ratingWindow(waited / 1000, policy);
    fallback[k] = waited / 1000 >= policy.regionFallbackSeconds ? 1 : 0;
    region[k] = cols.region[i];
    userId[k] = cols.userId[i];
    userHash[k] = cols.userHash[i];
    hasBlock[k] = cols.hasBlock[i];
  }
  const queue = new Int32Array(n);
  const qrank = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const k = rankOfInput[qIn[q]];
    queue[q] = k;
    qrank[k] = q;
  }
  return { n, players, rating, wait, window, fallback, region, userId, userHash, blocked, hasBlock, queue, qrank };
}

/**
 * Ranks of the unpaired players, longest waiter first, ties by rank: what sorting them by (wait
 * descending, rank) gives, in linear time. Waits never grow along the queue order, so a walk of it
 * has them sorted already but for runs of equal wait, which are put in rank order. (A comparator sort
 * of 100,000 players of spread-out waits took ~20 ms, a fifth of the matcher.)
 */
export function unpairedLongestWaitFirst(P: Prepared, partner: Int32Array): Int32Array {
  const { n, queue, wait } = P;
  const all = new Int32Array(n);
  let m = 0;
  for (let q = 0; q < n; q++) if (partner[queue[q]] < 0) all[m++] = queue[q];
  const out = all.subarray(0, m);
  for (let s = 0; s < m;) {
    let t = s + 1;
    while (t < m && wait[out[t]] === wait[out[s]]) t++;
    if (t - s > 1) out.subarray(s, t).sort();
    s = t;
  }
  return out;
}

/** isAllowedPair on ranks (same rules, precomputed inputs). */
export function allowedIdx(P: Prepared, i: number, j: number): boolean {
  if (i === j || (P.userHash[i] === P.userHash[j] && P.userId[i] === P.userId[j])) return false;
  const gap = Math.abs(P.rating[i] - P.rating[j]);
  if (gap > P.window[i] || gap > P.window[j]) return false;
  const ri = P.region[i];
  const rj = P.region[j];
  if (ri !== rj && ri !== -1 && rj !== -1 && P.fallback[i] === 0 && P.fallback[j] === 0) return false;
  if (P.blocked !== null && (P.hasBlock[i] === 1 || P.hasBlock[j] === 1)) {
    if (inCooldown(P.blocked, P.userId[i], P.userId[j])) return false;
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
