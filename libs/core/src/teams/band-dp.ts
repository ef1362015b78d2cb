import { evalMatch, MatchEval } from './candidate';
import { RankMatches } from './output';
import { PreparedTickets } from './prepared';

/*
 * The team matcher's kernel: an exact banded DP over a mean-rating-ordered list of tickets, the team
 * form of the 1v1 band DP (matching/band-dp.ts). State after ticket t: the set of the last K tickets
 * still open. Ticket t either stays open, or closes a match made of itself and any open tickets among
 * t−1..t−K whose player counts sum to 2N, split the best allowed way (candidate.ts). Each state holds the
 * best lexicographic value [players, wait ms, −gap, −spread] (gap as N × the gap of the means, so every
 * level is an exact integer for integer ratings) of any set of matches leading to it. This is the exact
 * optimum over all sets of matches whose tickets lie within K+1 consecutive list positions; with
 * K = m − 1 it is the exact optimum, full stop.
 */

const SLOTS = 4;
const WORK_BUDGET = 3_000_000; // m · 3^K: the superset walks of all candidate subsets, summed
const K_MAX = 11;

/** Band width for a list of m tickets: as wide as WORK_BUDGET allows, at least 2N − 1 (a match of 2N solos). */
export function chooseTeamBand(m: number, teamSize: number): number {
  if (m <= 1) return 0;
  const kMin = Math.min(m - 1, Math.max(2 * teamSize - 1, 1));
  let k = kMin;
  while (k < Math.min(m - 1, K_MAX) && m * 3 ** (k + 1) <= WORK_BUDGET) k++;
  return k;
}

/**
 * Candidate matches of each list position, flat and growable: candidates of t are start[t] .. start[t+1]−1.
 * Per candidate: `mask`, the open tickets it takes (bit b = list[t−b−1]); `split`, team X (same bits, bit K
 * = list[t] itself); its wait, gap and spread.
 */
class Candidates {
  readonly start: Int32Array;
  count = 0;
  mask: Int32Array;
  split: Int32Array;
  wait: Float64Array;
  gap: Float64Array;
  spread: Float64Array;

  constructor(m: number) {
    this.start = new Int32Array(m + 1);
    const cap = Math.max(16, 2 * m);
    this.mask = new Int32Array(cap);
    this.split = new Int32Array(cap);
    this.wait = new Float64Array(cap);
    this.gap = new Float64Array(cap);
    this.spread = new Float64Array(cap);
  }

  push(mask: number, split: number, wait: number, gap: number, spread: number): void {
    if (this.count === this.mask.length) this.grow();
    const q = this.count++;
    this.mask[q] = mask;
    this.split[q] = split;
    this.wait[q] = wait;
    this.gap[q] = gap;
    this.spread[q] = spread;
  }

  private grow(): void {
    const cap = this.mask.length * 2;
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.mask = widen(this.mask, (n) => new Int32Array(n));
    this.split = widen(this.split, (n) => new Int32Array(n));
    this.wait = widen(this.wait, (n) => new Float64Array(n));
    this.gap = widen(this.gap, (n) => new Float64Array(n));
    this.spread = widen(this.spread, (n) => new Float64Array(n));
  }
}

function candidates(P: PreparedTickets, list: Int32Array, K: number): Candidates {
  const m = list.length;
  const N = P.teamSize;
  const c = new Candidates(m);
  const members = new Int32Array(2 * N);
  const bitOf = new Int32Array(2 * N);
  const players = new Int32Array(1 << K); // per subset C of the open tickets: players of list[t] and C
  const ev: MatchEval = { gap: 0, spread: 0, split: 0 };
  for (let t = 0; t < m; t++) {
    c.start[t] = c.count;
    const i = list[t];
    const mean = P.sum[i] / P.size[i];
    // a ticket whose mean is more than windowMax away holds a player that far away: never in one match
    let reach = 0;
    while (reach < Math.min(K, t)) {
      const j = list[t - reach - 1];
      if (mean - P.sum[j] / P.size[j] > P.windowMax) break;
      reach++;
    }
    members[0] = i;
    bitOf[0] = K;
    players[0] = P.size[i];
    for (let C = 1; C < 1 << reach; C++) {
      // players of {list[t]} ∪ C, from C without its lowest bit: one addition per subset
      const low = C & -C;
      players[C] = players[C ^ low] + P.size[list[t - (31 - Math.clz32(low)) - 1]];
      if (players[C] !== 2 * N) continue;
      let k = 1;
      for (let b = 0; b < reach; b++) {
        if (((C >> b) & 1) === 0) continue;
        members[k] = list[t - b - 1];
        bitOf[k++] = b;
      }
      if (!evalMatch(P, members, k, ev)) continue;
      let split = 0;
      let wait = 0;
      for (let a = 0; a < k; a++) {
        if ((ev.split >> a) & 1) split |= 1 << bitOf[a];
        wait += P.wait[members[a]] * P.size[members[a]];
      }
      c.push(C, split, wait, ev.gap, ev.spread);
    }
  }
  c.start[m] = c.count;
  return c;
}

/** True when (p, w, g, s) is lexicographically better than the state stored at v[o..o+3]. */
function better(p: number, w: number, g: number, s: number, v: Float64Array, o: number): boolean {
  if (p !== v[o]) return p > v[o];
  if (w !== v[o + 1]) return w > v[o + 1];
  if (g !== v[o + 2]) return g > v[o + 2];
  return s > v[o + 3];
}

function put(v: Float64Array, o: number, p: number, w: number, g: number, s: number): void {
  v[o] = p;
  v[o + 1] = w;
  v[o + 2] = g;
  v[o + 3] = s;
}

/**
 * Runs the DP over `list` (ranks in rating order, none matched yet) with band K; adds the chosen matches
 * to `into`. Returns the number of matches made.
 */
export function teamBandDp(P: PreparedTickets, list: Int32Array, K: number, into: RankMatches): number {
  const m = list.length;
  if (m < 2 || K < 1) return 0;
  const S = 1 << K;
  const full = S - 1;
  const c = candidates(P, list, K);
  const gain = 2 * P.teamSize;
  let cur = new Float64Array(S * SLOTS).fill(-1);
  let nxt = new Float64Array(S * SLOTS);
  put(cur, 0, 0, 0, 0, 0);
  const prev = new Uint16Array(m * S);
  const act = new Int32Array(m * S); // 0 = list[t] stays open, c + 1 = candidate c closes
  for (let t = 0; t < m; t++) {
    for (let o = 0; o < S * SLOTS; o += SLOTS) nxt[o] = -1; // unreached (a builtin fill per step cost more)
    const base = t * S;
    for (let mask = 0; mask < S; mask++) {
      const o = mask * SLOTS;
      if (cur[o] < 0) continue;
      const m2 = ((mask << 1) | 1) & full;
      if (better(cur[o], cur[o + 1], cur[o + 2], cur[o + 3], nxt, m2 * SLOTS)) {
        put(nxt, m2 * SLOTS, cur[o], cur[o + 1], cur[o + 2], cur[o + 3]);
        prev[base + m2] = mask;
        act[base + m2] = 0;
      }
    }
    for (let q = c.start[t]; q < c.start[t + 1]; q++) {
      const C = c.mask[q];
      for (let mask = C; mask < S; mask = (mask + 1) | C) {
        const o = mask * SLOTS;
        if (cur[o] < 0) continue;
        const m2 = ((mask ^ C) << 1) & full;
        const p = cur[o] + gain;
        const w = cur[o + 1] + c.wait[q];
        const g = cur[o + 2] - c.gap[q];
        const s = cur[o + 3] - c.spread[q];
        if (better(p, w, g, s, nxt, m2 * SLOTS)) {
          put(nxt, m2 * SLOTS, p, w, g, s);
          prev[base + m2] = mask;
          act[base + m2] = q + 1;
        }
      }
    }
    [cur, nxt] = [nxt, cur];
  }
  let best = 0;
  for (let mask = 1; mask < S; mask++) {
    const o = mask * SLOTS;
    if (cur[o] >= 0 && better(cur[o], cur[o + 1], cur[o + 2], cur[o + 3], cur, best * SLOTS)) best = mask;
  }
  return traceBack(list, K, c, prev, act, best, into);
}

function traceBack(
  list: Int32Array,
  K: number,
  c: Candidates,
  prev: Uint16Array,
  act: Int32Array,
  mask: number,
  into: RankMatches,
): number {
  const S = 1 << K;
  let made = 0;
  for (let t = list.length - 1; t >= 0; t--) {
    const a = act[t * S + mask];
    if (a > 0) {
      const q = a - 1;
      const match = into.open();
      into.put(list[t], match, true);
      for (let b = 0; b < K; b++) {
        if ((c.mask[q] >> b) & 1) into.put(list[t - b - 1], match, ((c.split[q] >> b) & 1) === 1);
      }
      made++;
    }
    mask = prev[t * S + mask];
  }
  return made;
}
