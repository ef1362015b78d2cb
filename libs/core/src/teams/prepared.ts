import { ratingWindow } from '../rating-window';
import { fnv1a, sortByKeyThenTie } from '../matching/prepared';
import { Cooldown, inCooldown, MatchPolicy } from '../matching/types';
import { fitsTeam, Ticket } from './types';

/**
 * Struct-of-arrays view of the tickets of one pool at one instant, INDEXED BY RANK (canonical order:
 * mean rating, region name (null last), enqueuedAt, id — independent of the input order), as the 1v1
 * matcher's Prepared. Players are flattened: ticket k owns players first[k] .. first[k] + size[k] − 1.
 */
export interface PreparedTickets {
  n: number;
  teamSize: number;
  windowMax: number;
  tickets: Ticket[];
  size: Int32Array;
  /** sum, min and max of the ticket's player ratings */
  sum: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  wait: Float64Array; // ms, clamped >= 0
  window: Float64Array;
  /** region index when the ticket has a region and has not waited regionFallbackSeconds, else -1 */
  young: Int32Array;
  first: Int32Array;
  rating: Float64Array;
  userId: string[];
  /** 32-bit FNV-1a hash of each userId: equal hash is checked before comparing strings (ids share long prefixes) */
  userHash: Int32Array;
  /** 1 = some player of the ticket appears in the cooldown map */
  hasBlock: Uint8Array;
  blocked: Cooldown | null;
  /** ranks in queue order (longest waiter first) and each rank's position in it */
  queue: Int32Array;
  qrank: Int32Array;
}

function cmpId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Input-order columns, read in ONE sequential pass over the ticket objects (random-order object reads
 * were the dominant cost at 100k, as in the 1v1 Prepared); everything after works on typed arrays.
 */
interface Columns {
  n: number;
  enqueuedAt: Float64Array;
  size: Int32Array;
  sum: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** index of the region name in sorted order; regionCount = null */
  region: Int32Array;
  regionCount: number;
  hasBlock: Uint8Array;
  /** players of input ticket i: first[i] .. first[i+1]−1 */
  first: Int32Array;
  rating: Float64Array;
  userId: string[];
  userHash: Int32Array;
}

function readColumns(input: readonly Ticket[], blocked: Cooldown | null): Columns {
  const n = input.length;
  let players = 0;
  for (let i = 0; i < n; i++) players += input[i].players.length;
  const c: Columns = {
    n,
    enqueuedAt: new Float64Array(n),
    size: new Int32Array(n),
    sum: new Float64Array(n),
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    region: new Int32Array(n),
    regionCount: 0,
    hasBlock: new Uint8Array(n),
    first: new Int32Array(n + 1),
    rating: new Float64Array(players),
    userId: new Array<string>(players),
    userHash: new Int32Array(players),
  };
  const regionIds = new Map<string, number>();
  let f = 0;
  for (let i = 0; i < n; i++) {
    const t = input[i];
    c.enqueuedAt[i] = t.enqueuedAt;
    if (t.region === null) c.region[i] = -1;
    else {
      let r = regionIds.get(t.region);
      if (r === undefined) regionIds.set(t.region, (r = regionIds.size));
      c.region[i] = r;
    }
    c.first[i] = f;
    const ps = t.players;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < ps.length; j++, f++) {
      const rating = ps[j].rating;
      c.rating[f] = rating;
      c.userId[f] = ps[j].userId;
      c.userHash[f] = fnv1a(ps[j].userId);
      sum += rating;
      if (rating < lo) lo = rating;
      if (rating > hi) hi = rating;
      if (blocked !== null && blocked.has(ps[j].userId)) c.hasBlock[i] = 1;
    }
    c.size[i] = ps.length;
    c.sum[i] = sum;
    c.lo[i] = lo;
    c.hi[i] = hi;
  }
  c.first[n] = f;
  // region ids in first-seen order depend on the input order: remap to the sorted names, null last
  const names = [...regionIds.keys()].sort(cmpId);
  const remap = new Int32Array(names.length);
  names.forEach((name, r) => (remap[regionIds.get(name)!] = r));
  for (let i = 0; i < n; i++) c.region[i] = c.region[i] < 0 ? names.length : remap[c.region[i]];
  c.regionCount = names.length;
  return c;
}

/** Input indices in queue order: enqueuedAt, then ticket id, then input index (only for duplicate ids). */
function queueOrder(input: readonly Ticket[], enqueuedAt: Float64Array): Int32Array {
  const n = input.length;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const q = sortByKeyThenTie(enqueuedAt, identity);
  const byId = (x: number, y: number): number => cmpId(input[x].id, input[y].id) || x - y;
  for (let s = 0; s < n;) {
    let e = s + 1;
    while (e < n && enqueuedAt[q[e]] === enqueuedAt[q[s]]) e++;
    if (e - s === 2 && byId(q[s], q[s + 1]) > 0) [q[s], q[s + 1]] = [q[s + 1], q[s]];
    else if (e - s > 2) q.set(Array.from(q.subarray(s, e)).sort(byId), s);
    s = e;
  }
  return q;
}

/**
 * Input indices in rank order: mean rating, ties by region (sorted names, null last), then queue order.
 * The (region, queue) tie rank is a counting sort: region keys are small integers.
 */
function rankOrder(c: Columns, qIn: Int32Array): Int32Array {
  const n = c.n;
  const start = new Int32Array(c.regionCount + 2);
  for (let i = 0; i < n; i++) start[c.region[i] + 1]++;
  for (let r = 1; r < start.length; r++) start[r] += start[r - 1];
  const regionTie = new Int32Array(n);
  for (let q = 0; q < n; q++) regionTie[qIn[q]] = start[c.region[qIn[q]]]++;
  // mean × 60 (a multiple of every size 1..5) is an integer for integer ratings: the packed fast sort applies
  const meanKey = new Float64Array(n);
  for (let i = 0; i < n; i++) meanKey[i] = (c.sum[i] * 60) / c.size[i];
  return sortByKeyThenTie(meanKey, regionTie);
}

/** Tickets of 1..teamSize players only (a bigger ticket can never be a whole part of a team). */
export function prepareTickets(
  all: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
): PreparedTickets {
  const input = all.filter((t) => fitsTeam(t, teamSize));
  const blocked = policy.cooldown !== undefined && policy.cooldown.size > 0 ? policy.cooldown : null;
  const c = readColumns(input, blocked);
  const n = c.n;
  const qIn = queueOrder(input, c.enqueuedAt);
  const order = rankOrder(c, qIn);
  const P: PreparedTickets = {
    n,
    teamSize,
    windowMax: policy.windowMax,
    tickets: new Array<Ticket>(n),
    size: new Int32Array(n),
    sum: new Float64Array(n),
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    wait: new Float64Array(n),
    window: new Float64Array(n),
    young: new Int32Array(n),
    first: new Int32Array(n + 1),
    rating: new Float64Array(c.rating.length),
    userId: new Array<string>(c.rating.length),
    userHash: new Int32Array(c.rating.length),
    hasBlock: new Uint8Array(n),
    blocked,
    queue: new Int32Array(n),
    qrank: new Int32Array(n),
  };
  const rankOfInput = new Int32Array(n);
  let f = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    rankOfInput[i] = k;
    P.tickets[k] = input[i];
    f = fillRank(P, c, k, i, f, nowMs, policy);
  }
  P.first[n] = f;
  for (let q = 0; q < n; q++) {
    const k = rankOfInput[qIn[q]];
    P.queue[q] = k;
    P.qrank[k] = q;
  }
  return P;
}

/** Rank k := input ticket i, its players from flat index f on; returns the next flat index. */
function fillRank(
  P: PreparedTickets,
  c: Columns,
  k: number,
  i: number,
  f: number,
  nowMs: number,
  policy: MatchPolicy,
): number {
  const waited = nowMs - c.enqueuedAt[i];
  P.size[k] = c.size[i];
  P.sum[k] = c.sum[i];
  P.lo[k] = c.lo[i];
  P.hi[k] = c.hi[i];
  P.hasBlock[k] = c.hasBlock[i];
  P.wait[k] = Math.max(0, waited);
  P.window[k] = ratingWindow(waited / 1000, policy);
  const regional = c.region[i] < c.regionCount && waited / 1000 < policy.regionFallbackSeconds;
  P.young[k] = regional ? c.region[i] : -1;
  P.first[k] = f;
  for (let x = c.first[i]; x < c.first[i + 1]; x++, f++) {
    P.rating[f] = c.rating[x];
    P.userId[f] = c.userId[x];
    P.userHash[f] = c.userHash[x];
  }
  return f;
}

/** A user in both tickets i and j. */
export function sharesUser(P: PreparedTickets, i: number, j: number): boolean {
  for (let x = P.first[i]; x < P.first[i + 1]; x++) {
    for (let y = P.first[j]; y < P.first[j + 1]; y++) {
      if (P.userHash[x] === P.userHash[y] && P.userId[x] === P.userId[y]) return true;
    }
  }
  return false;
}

/** A player of ticket i and one of ticket j are in the rematch cooldown (they may not be opponents). */
export function ticketsInCooldown(P: PreparedTickets, i: number, j: number): boolean {
  if (P.blocked === null || (P.hasBlock[i] === 0 && P.hasBlock[j] === 0)) return false;
  for (let x = P.first[i]; x < P.first[i + 1]; x++) {
    for (let y = P.first[j]; y < P.first[j + 1]; y++) if (inCooldown(P.blocked, P.userId[x], P.userId[y])) return true;
  }
  return false;
}
