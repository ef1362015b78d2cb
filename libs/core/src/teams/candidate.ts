import { PreparedTickets, sharesUser, ticketsInCooldown } from './prepared';

/** The best split of one set of tickets into two teams (see evalMatch). */
export interface MatchEval {
  /** |sum of team X's ratings − sum of team Y's|: N × the gap of the means, exact for integer ratings */
  gap: number;
  /** (max − min) rating inside X plus inside Y */
  spread: number;
  /** bit j set: members[j] is in team X; bit 0 (the first member) always is */
  split: number;
}

/** No user twice in the match (only possible when some user is in two tickets of the pool). */
function usersDistinct(P: PreparedTickets, members: ArrayLike<number>, k: number): boolean {
  if (!P.sharedUsers) return true;
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) if (sharesUser(P, members[a], members[b])) return false;
  return true;
}

function crossCooldown(P: PreparedTickets, members: ArrayLike<number>, k: number, split: number): boolean {
  for (let a = 0; a < k; a++) {
    if ((split >> a) & 1) continue;
    for (let b = 0; b < k; b++) {
      if (((split >> b) & 1) === 0) continue;
      if (ticketsInCooldown(P, members[a], members[b])) return true;
    }
  }
  return false;
}

/**
 * The best allowed split of the tickets members[0..k−1] (player counts summing to 2N) into two teams of N:
 * smallest gap, then smallest in-team spread, then the first in enumeration order. False when no split is
 * allowed. Players and waits do not depend on the split, so the best split of a ticket set is all an
 * optimiser needs to know about it.
 */
export function evalMatch(P: PreparedTickets, members: ArrayLike<number>, k: number, out: MatchEval): boolean {
  const N = P.teamSize;
  let total = 0;
  let minWindow = Infinity;
  let blocked = false;
  // split-independent rules first: player span ≤ windowMax, §7 regions for every two tickets, no user twice
  let lo = Infinity;
  let hi = -Infinity;
  let young = -1;
  for (let a = 0; a < k; a++) {
    const i = members[a];
    total += P.size[i];
    if (P.window[i] < minWindow) minWindow = P.window[i];
    if (P.hasBlock[i] === 1) blocked = true;
    if (P.lo[i] < lo) lo = P.lo[i];
    if (P.hi[i] > hi) hi = P.hi[i];
    const r = P.young[i];
    if (r >= 0) {
      if (young >= 0 && young !== r) return false;
      young = r;
    }
  }
  if (total !== 2 * N || hi - lo > P.windowMax || !usersDistinct(P, members, k)) return false;
  const maxGap = N * minWindow;
  let found = false;
  for (let split = 1; split < 1 << k; split += 2) {
    let nx = 0;
    for (let a = 0; a < k; a++) if ((split >> a) & 1) nx += P.size[members[a]];
    if (nx !== N) continue;
    let sx = 0;
    let sy = 0;
    let lx = Infinity;
    let hx = -Infinity;
    let ly = Infinity;
    let hy = -Infinity;
    for (let a = 0; a < k; a++) {
      const i = members[a];
      if ((split >> a) & 1) {
        sx += P.sum[i];
        lx = Math.min(lx, P.lo[i]);
        hx = Math.max(hx, P.hi[i]);
      } else {
        sy += P.sum[i];
        ly = Math.min(ly, P.lo[i]);
        hy = Math.max(hy, P.hi[i]);
      }
    }
    const gap = Math.abs(sx - sy);
    if (gap > maxGap) continue;
    const spread = hx - lx + (hy - ly);
    if (found && (gap > out.gap || (gap === out.gap && spread >= out.spread))) continue;
    if (blocked && crossCooldown(P, members, k, split)) continue;
    out.gap = gap;
    out.spread = spread;
    out.split = split;
    found = true;
  }
  return found;
}
