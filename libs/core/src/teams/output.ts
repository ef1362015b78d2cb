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
 * Rank matches → TeamMatch objects. Walking the ranks in queue order meets each match first at its
 * longest waiter: that ticket's team is `a`, the matches come out in that waiter's queue order and every
 * team's tickets in queue order, with no sort. Two walks: the first places every rank (slot of its match,
 * side, position), the second builds each team's array at its exact length (at 100k tickets the objects
 * built here are a large share of the tick).
 */
export function toTeamMatches(P: PreparedTickets, R: RankMatches): TeamMatch[] {
  const slot = new Int32Array(R.count).fill(-1);
  const aSide = new Uint8Array(R.count);
  const count = new Int32Array(2 * R.count); // tickets per (slot, side a = 0 | b = 1)
  const players = new Int32Array(2 * R.count);
  const sums = new Float64Array(2 * R.count);
  const place = new Int32Array(P.n); // 2·slot + side
  const pos = new Int32Array(P.n);
  let slots = 0;
  for (let q = 0; q < P.n; q++) {
    const k = P.queue[q];
    const m = R.matchOf[k];
    if (m < 0) continue;
    if (slot[m] < 0) {
      slot[m] = slots++;
      aSide[m] = R.x[k];
    }
    const at = 2 * slot[m] + (R.x[k] === aSide[m] ? 0 : 1);
    place[k] = at;
    pos[k] = count[at]++;
    players[at] += P.size[k];
    sums[at] += P.sum[k];
  }
  const teams: Ticket[][] = new Array<Ticket[]>(2 * slots);
  for (let at = 0; at < 2 * slots; at++) teams[at] = new Array<Ticket>(count[at]);
  for (let k = 0; k < P.n; k++) if (R.matchOf[k] >= 0) teams[place[k]][pos[k]] = P.tickets[k];
  const out: TeamMatch[] = new Array<TeamMatch>(slots);
  for (let s = 0; s < slots; s++) {
    const ra = sums[2 * s] / players[2 * s];
    const rb = sums[2 * s + 1] / players[2 * s + 1];
    out[s] = {
      a: { tickets: teams[2 * s], rating: ra },
      b: { tickets: teams[2 * s + 1], rating: rb },
      gap: Math.abs(ra - rb),
    };
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
