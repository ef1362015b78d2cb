import { PreparedTickets } from './prepared';
import { TeamMatch, TeamMatchingValue } from './types';

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
 * Rank matches → TeamMatch objects. Walking the ranks in queue order meets each match first at its
 * longest waiter: that ticket's team is `a`, the matches come out in that waiter's queue order and every
 * team's tickets in queue order, with no sort.
 */
export function toTeamMatches(P: PreparedTickets, R: RankMatches): TeamMatch[] {
  const out: TeamMatch[] = [];
  const slot = new Int32Array(R.count).fill(-1);
  const aSide = new Uint8Array(R.count);
  const sums = new Float64Array(2 * R.count);
  const players = new Int32Array(2 * R.count);
  for (let q = 0; q < P.n; q++) {
    const k = P.queue[q];
    const m = R.matchOf[k];
    if (m < 0) continue;
    if (slot[m] < 0) {
      slot[m] = out.length;
      aSide[m] = R.x[k];
      out.push({ a: { tickets: [], rating: 0 }, b: { tickets: [], rating: 0 }, gap: 0 });
    }
    const inA = R.x[k] === aSide[m];
    (inA ? out[slot[m]].a : out[slot[m]].b).tickets.push(P.tickets[k]);
    sums[2 * slot[m] + (inA ? 0 : 1)] += P.sum[k];
    players[2 * slot[m] + (inA ? 0 : 1)] += P.size[k];
  }
  for (let s = 0; s < out.length; s++) {
    const match = out[s];
    match.a.rating = sums[2 * s] / players[2 * s];
    match.b.rating = sums[2 * s + 1] / players[2 * s + 1];
    match.gap = Math.abs(match.a.rating - match.b.rating);
  }
  return out;
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
