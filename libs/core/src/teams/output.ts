import { PreparedTickets } from './prepared';
import { TeamMatch, TeamMatchingValue, Ticket } from './types';

/**
 * A set of matches on ranks, flat (no object per match while matching): matchOf[k] is the match of rank k
 * (−1 = unmatched) and x[k] = 1 when rank k is in that match's team X, 0 for team Y.
 */
export class RankMatches {
  readonly matchOf: Int32Array;
  readonly x: Uint8Array;
  count = 0;

  constructor(n: number) {
    this.matchOf = new Int32Array(n).fill(-1);
    this.x = new Uint8Array(n);
  }

  /** a new match index, for put() */
  open(): number {
    return this.count++;
  }

  put(rank: number, match: number, inX: boolean): void {
    this.matchOf[rank] = match;
    this.x[rank] = inX ? 1 : 0;
  }
}

/**
 * Rank matches → TeamMatch objects: each match's `a` team holds its longest waiter, the matches come out in
 * that waiter's queue order and every team's tickets in queue order. The tickets of one match are rating
 * neighbours, close in rank and scattered in the queue, so the walks that touch tickets and team arrays go
 * in rank order (at 100k tickets, a walk in queue order spent most of this function on cache misses);
 * only the match order is found in queue order, on typed arrays.
 */
export function toTeamMatches(P: PreparedTickets, R: RankMatches): TeamMatch[] {
  const count = new Int32Array(2 * R.count); // tickets per (match, side x = 1 | y = 0)
  const players = new Int32Array(2 * R.count);
  const sums = new Float64Array(2 * R.count);
  const longest = new Int32Array(R.count).fill(P.n); // queue position of the match's longest waiter
  for (let k = 0; k < P.n; k++) {
    const m = R.matchOf[k];
    if (m < 0) continue;
    const at = 2 * m + R.x[k];
    count[at]++;
    players[at] += P.size[k];
    sums[at] += P.sum[k];
    if (P.qrank[k] < longest[m]) longest[m] = P.qrank[k];
  }
  const slot = new Int32Array(R.count);
  for (let q = 0, s = 0; q < P.n; q++) {
    const m = R.matchOf[P.queue[q]];
    if (m >= 0 && longest[m] === q) slot[m] = s++;
  }
  const teams = placeTickets(P, R, count);
  const out = new Array<TeamMatch>(R.count);
  for (let m = 0; m < R.count; m++) {
    const ax = R.x[P.queue[longest[m]]];
    const a = 2 * m + ax;
    const b = 2 * m + 1 - ax;
    const ra = sums[a] / players[a];
    const rb = sums[b] / players[b];
    out[slot[m]] = {
      a: { tickets: teams[a], rating: ra },
      b: { tickets: teams[b], rating: rb },
      gap: Math.abs(ra - rb),
    };
  }
  return out;
}

/**
 * Every matched ticket into its team's array (made at its final length on first use), in queue order:
 * a team has at most N tickets, so an insertion by queue position, with the positions kept alongside.
 */
function placeTickets(P: PreparedTickets, R: RankMatches, count: Int32Array): Ticket[][] {
  const teams = new Array<Ticket[]>(count.length);
  const base = new Int32Array(count.length);
  for (let at = 1; at < count.length; at++) base[at] = base[at - 1] + count[at - 1];
  const filled = new Int32Array(count.length);
  const placedQ = new Int32Array(count.length === 0 ? 0 : base[count.length - 1] + count[count.length - 1]);
  for (let k = 0; k < P.n; k++) {
    const m = R.matchOf[k];
    if (m < 0) continue;
    const at = 2 * m + R.x[k];
    const team = (teams[at] ??= new Array<Ticket>(count[at]));
    const q = P.qrank[k];
    let pos = filled[at]++;
    for (; pos > 0 && placedQ[base[at] + pos - 1] > q; pos--) {
      team[pos] = team[pos - 1];
      placedQ[base[at] + pos] = placedQ[base[at] + pos - 1];
    }
    team[pos] = P.input[P.inputOfQueue[q]];
    placedQ[base[at] + pos] = q;
  }
  return teams;
}

/** The objective on ranks, exactly as the DP sums it (gap as N × the gap of the means). */
export function rankValue(P: PreparedTickets, R: RankMatches): TeamMatchingValue {
  const sum = new Float64Array(2 * R.count);
  const lo = new Float64Array(2 * R.count).fill(Infinity);
  const hi = new Float64Array(2 * R.count).fill(-Infinity);
  let wait = 0;
  for (let k = 0; k < P.n; k++) {
    const m = R.matchOf[k];
    if (m < 0) continue;
    const s = 2 * m + R.x[k];
    wait += P.wait[k] * P.size[k];
    sum[s] += P.sum[k];
    lo[s] = Math.min(lo[s], P.lo[k]);
    hi[s] = Math.max(hi[s], P.hi[k]);
  }
  let gap = 0;
  let spread = 0;
  for (let m = 0; m < R.count; m++) {
    gap += Math.abs(sum[2 * m] - sum[2 * m + 1]);
    spread += hi[2 * m] - lo[2 * m] + (hi[2 * m + 1] - lo[2 * m + 1]);
  }
  return [R.count * 2 * P.teamSize, wait, -gap, -spread];
}
