import { fnv1a } from '../matching/prepared';
import { sortByKeyThenTie } from '../matching/sort';
import { Cooldown } from '../matching/types';
import { fitsTeam, Ticket } from './types';

function cmpId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * Input-order columns, read in ONE sequential pass over the ticket objects (random-order object reads
 * were the dominant cost at 100k, as in the 1v1 Prepared). The gather into rank order that follows reads
 * them in random order, so what it reads of one ticket is one interleaved record (REC numbers, one or
 * two cache lines) and of one player two numbers and its id, not one line per column.
 */
export const REC = 8;
export const ENQUEUED = 0;
export const SUM = 1;
export const LO = 2;
export const HI = 3;
export const SIZE = 4;
export const REGION = 5;
export const BLOCK = 6;
export const FIRST = 7;

export interface Columns {
  n: number;
  /** the tickets that fit a team (fitsTeam), in input order */
  input: Ticket[];
  /** per ticket: enqueuedAt, sum, lo, hi (of its ratings), size, region, hasBlock, first player */
  rec: Float64Array;
  enqueuedAt: Float64Array;
  /** index of the region name in sorted order; regionCount = null */
  region: Int32Array;
  regionCount: number;
  /** per player (ticket i's from rec[FIRST]): its id and the id's 32-bit FNV-1a hash */
  userId: string[];
  userHash: Int32Array;
  /** some user is in two tickets (the service's tables rule it out; the matcher still refuses such a match) */
  sharedUsers: boolean;
}

/**
 * Users of the cooldown map as a byte table of their id hashes: most players are in no cooldown, and one
 * table probe rules that out where a Map lookup would hash the whole id string.
 */
function cooldownFilter(blocked: Cooldown): { table: Uint8Array; mask: number } {
  let size = 1 << 16;
  while (size < 16 * blocked.size) size *= 2;
  const table = new Uint8Array(size);
  for (const user of blocked.keys()) table[fnv1a(user) & (size - 1)] = 1;
  return { table, mask: size - 1 };
}

export function readColumns(all: readonly Ticket[], teamSize: number, blocked: Cooldown | null): Columns {
  let players = 0;
  for (let i = 0; i < all.length; i++) players += all[i].players.length;
  const rec = new Float64Array(all.length * REC);
  const userHash = new Int32Array(players);
  const userId = new Array<string>(players);
  const input: Ticket[] = [];
  const regionIds = new Map<string, number>();
  const filter = blocked === null ? null : cooldownFilter(blocked);
  let f = 0;
  for (let a = 0; a < all.length; a++) {
    const t = all[a];
    if (!fitsTeam(t, teamSize)) continue;
    const o = input.length * REC;
    input.push(t);
    let region = -1;
    if (t.region !== null) {
      const r = regionIds.get(t.region);
      if (r === undefined) regionIds.set(t.region, (region = regionIds.size));
      else region = r;
    }
    const ps = t.players;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    let block = 0;
    rec[o + FIRST] = f;
    for (let j = 0; j < ps.length; j++, f++) {
      const { rating, userId: user } = ps[j];
      const hash = fnv1a(user);
      userHash[f] = hash;
      userId[f] = user;
      sum += rating;
      if (rating < lo) lo = rating;
      if (rating > hi) hi = rating;
      if (filter !== null && filter.table[hash & filter.mask] === 1 && blocked!.has(user)) block = 1;
    }
    rec[o + ENQUEUED] = t.enqueuedAt;
    rec[o + SUM] = sum;
    rec[o + LO] = lo;
    rec[o + HI] = hi;
    rec[o + SIZE] = ps.length;
    rec[o + REGION] = region;
    rec[o + BLOCK] = block;
  }
  return finishColumns(input, rec, userId, userHash, regionIds);
}

/** Region ids in first-seen order depend on the input order: remapped to the sorted names, null last. */
function finishColumns(
  input: Ticket[],
  rec: Float64Array,
  userId: string[],
  userHash: Int32Array,
  regionIds: Map<string, number>,
): Columns {
  const n = input.length;
  const names = [...regionIds.keys()].sort(cmpId);
  const remap = new Int32Array(names.length);
  names.forEach((name, r) => (remap[regionIds.get(name)!] = r));
  const enqueuedAt = new Float64Array(n);
  const region = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * REC;
    const r = rec[o + REGION];
    region[i] = r < 0 ? names.length : remap[r];
    rec[o + REGION] = region[i];
    enqueuedAt[i] = rec[o + ENQUEUED];
  }
  const sharedUsers = anyUserTwice(userId, userHash);
  return { n, input, rec, enqueuedAt, region, regionCount: names.length, userId, userHash, sharedUsers };
}

/** True when the input already is in queue order (enqueuedAt, then id), as the team tick reads it. */
function inQueueOrder(input: readonly Ticket[], enqueuedAt: Float64Array): boolean {
  for (let i = 1; i < input.length; i++) {
    const d = enqueuedAt[i] - enqueuedAt[i - 1];
    if (!(d > 0) && !(d === 0 && input[i - 1].id < input[i].id)) return false;
  }
  return true;
}

/**
 * Input indices in queue order: enqueuedAt, then ticket id, then input index (only for duplicate ids).
 * An input already in that order (distinct ids) is taken as it is: one linear check instead of a sort.
 */
export function queueOrder(input: readonly Ticket[], enqueuedAt: Float64Array): Int32Array {
  const n = input.length;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  if (inQueueOrder(input, enqueuedAt)) return identity;
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
export function rankOrder(c: Columns, qIn: Int32Array): Int32Array {
  const n = c.n;
  const start = new Int32Array(c.regionCount + 2);
  for (let i = 0; i < n; i++) start[c.region[i] + 1]++;
  for (let r = 1; r < start.length; r++) start[r] += start[r - 1];
  const regionTie = new Int32Array(n);
  for (let q = 0; q < n; q++) regionTie[qIn[q]] = start[c.region[qIn[q]]]++;
  // mean × 60 (a multiple of every size 1..5) is an integer for integer ratings: the radix sort applies
  const meanKey = new Float64Array(n);
  for (let i = 0; i < n; i++) meanKey[i] = (c.rec[i * REC + SUM] * 60) / c.rec[i * REC + SIZE];
  return sortByKeyThenTie(meanKey, regionTie);
}

/** True when some user id is in two tickets: an open-addressing table of the ids' hashes, strings compared on a hit. */
function anyUserTwice(userId: string[], userHash: Int32Array): boolean {
  let size = 16;
  while (size < 2 * userId.length) size *= 2;
  const table = new Int32Array(size).fill(-1);
  for (let x = 0; x < userId.length; x++) {
    let slot = userHash[x] & (size - 1);
    for (let y = table[slot]; y >= 0; y = table[slot]) {
      if (userHash[y] === userHash[x] && userId[y] === userId[x]) return true;
      slot = (slot + 1) & (size - 1);
    }
    table[slot] = x;
  }
  return false;
}
