import { ratingWindow } from '../rating-window';
import { Cooldown, inCooldown, MatchPolicy } from '../matching/types';
import {
  BLOCK,
  Columns,
  ENQUEUED,
  FIRST,
  HI,
  LO,
  queueOrder,
  rankOrder,
  readColumns,
  REC,
  REGION,
  SIZE,
  SUM,
} from './columns';
import { Ticket } from './types';

/**
 * Struct-of-arrays view of the tickets of one pool at one instant, INDEXED BY RANK (canonical order:
 * mean rating, region name (null last), enqueuedAt, id — independent of the input order), as the 1v1
 * matcher's Prepared. Players stay in input order, where they were read: ticket k owns players
 * first[k] .. first[k] + size[k] − 1 of userId and userHash. Only the rare checks that name users read
 * them (a user in two tickets, the cooldown), so the gather into rank order leaves them where they are.
 */
export interface PreparedTickets {
  n: number;
  teamSize: number;
  windowMax: number;
  /** the tickets that fit a team, in input order; inputOfQueue[q] = the input index of queue position q */
  input: Ticket[];
  inputOfQueue: Int32Array;
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
  userId: string[];
  /** 32-bit FNV-1a hash of each userId: equal hash is checked before comparing strings (ids share long prefixes) */
  userHash: Int32Array;
  /** some user is in two tickets: only then can two tickets share a user */
  sharedUsers: boolean;
  /** 1 = some player of the ticket appears in the cooldown map */
  hasBlock: Uint8Array;
  blocked: Cooldown | null;
  /** ranks in queue order (longest waiter first) and each rank's position in it */
  queue: Int32Array;
  qrank: Int32Array;
}

/** Tickets of 1..teamSize players only (a bigger ticket can never be a whole part of a team). */
export function prepareTickets(
  all: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
): PreparedTickets {
  const blocked = policy.cooldown !== undefined && policy.cooldown.size > 0 ? policy.cooldown : null;
  const c = readColumns(all, teamSize, blocked);
  const { n, input } = c;
  const qIn = queueOrder(input, c.enqueuedAt);
  const order = rankOrder(c, qIn);
  const P: PreparedTickets = {
    n,
    teamSize,
    windowMax: policy.windowMax,
    input,
    inputOfQueue: qIn,
    size: new Int32Array(n),
    sum: new Float64Array(n),
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    wait: new Float64Array(n),
    window: new Float64Array(n),
    young: new Int32Array(n),
    first: new Int32Array(n),
    userId: c.userId,
    userHash: c.userHash,
    sharedUsers: c.sharedUsers,
    hasBlock: new Uint8Array(n),
    blocked,
    queue: new Int32Array(n),
    qrank: new Int32Array(n),
  };
  const rankOfInput = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    rankOfInput[i] = k;
    fillRank(P, c, k, i, nowMs, policy);
  }
  for (let q = 0; q < n; q++) {
    const k = rankOfInput[qIn[q]];
    P.queue[q] = k;
    P.qrank[k] = q;
  }
  return P;
}

/** Rank k := input ticket i (one record read: this gather is in random order). */
function fillRank(P: PreparedTickets, c: Columns, k: number, i: number, nowMs: number, policy: MatchPolicy): void {
  const o = i * REC;
  const waited = nowMs - c.rec[o + ENQUEUED];
  const region = c.rec[o + REGION];
  P.size[k] = c.rec[o + SIZE];
  P.sum[k] = c.rec[o + SUM];
  P.lo[k] = c.rec[o + LO];
  P.hi[k] = c.rec[o + HI];
  P.hasBlock[k] = c.rec[o + BLOCK];
  P.first[k] = c.rec[o + FIRST];
  P.wait[k] = Math.max(0, waited);
  P.window[k] = ratingWindow(waited / 1000, policy);
  const regional = region < c.regionCount && waited / 1000 < policy.regionFallbackSeconds;
  P.young[k] = regional ? region : -1;
}

/** A user in both tickets i and j. */
export function sharesUser(P: PreparedTickets, i: number, j: number): boolean {
  if (!P.sharedUsers) return false;
  for (let x = P.first[i]; x < P.first[i] + P.size[i]; x++) {
    for (let y = P.first[j]; y < P.first[j] + P.size[j]; y++) {
      if (P.userHash[x] === P.userHash[y] && P.userId[x] === P.userId[y]) return true;
    }
  }
  return false;
}

/** A player of ticket i and one of ticket j are in the rematch cooldown (they may not be opponents). */
export function ticketsInCooldown(P: PreparedTickets, i: number, j: number): boolean {
  if (P.blocked === null || (P.hasBlock[i] === 0 && P.hasBlock[j] === 0)) return false;
  for (let x = P.first[i]; x < P.first[i] + P.size[i]; x++) {
    for (let y = P.first[j]; y < P.first[j] + P.size[j]; y++) {
      if (inCooldown(P.blocked, P.userId[x], P.userId[y])) return true;
    }
  }
  return false;
}
