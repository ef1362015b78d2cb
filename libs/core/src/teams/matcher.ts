import { findPairs } from '../matching/matcher';
import { MatchPolicy, WaitingPlayer } from '../matching/types';
import { chooseTeamBand, teamBandDp } from './band-dp';
import { greedyOnPreparedTickets } from './greedy';
import { RankMatches, rankValue, toTeamMatches } from './output';
import { prepareTickets } from './prepared';
import { compareTeamValues, makeTeamMatch, Ticket, TeamMatch } from './types';

/*
 * Team matcher (SPEC §12). WHY this shape: the 1v1 matcher's idea carried over to tickets. Sorted by
 * mean rating, a good match takes rating neighbours (the gap and the in-team spread are both rating
 * distances, and every ticket's window bounds the gap), so an exact DP that only restricts how far apart
 * in that order the tickets of one match may be (band-dp.ts) finds the optimum among such matches: a
 * party of N against a party, a party against solos, or 2N solos split the best allowed way. Band K
 * adapts to the list size: K = m − 1 (an exhaustive search) up to 12 tickets, K = 2N − 1 at 100k.
 *   Pass 1: the DP over every ticket. Pass 2: once more over its leftovers, now adjacent — young regional
 *   tickets whose allowed partners were more than K ranks away among other regions' tickets.
 *   Safety net (pools ≤ GUARD_MAX_N): seed 004's greedy baseline is computed too and kept if it is
 *   lexicographically better (never seen on the specs' pools; it costs little).
 * Not the global optimum when a better match needs tickets further apart than K ranks in its list.
 * With teamSize 1 it IS findPairs (same players, same pairs), by delegation.
 */

const GUARD_MAX_N = 20_000;
const PASSES = 2;

export interface TeamMatchOptions {
  /** band K of every DP pass (default: chooseTeamBand of the list size) */
  band?: number;
  /** run the greedy safety net (default: pools up to GUARD_MAX_N tickets) */
  guard?: boolean;
}

export interface TeamMatchStats {
  /** band of each DP pass that ran */
  bands: number[];
  chosen: 'dp' | 'greedy';
}

function asPlayer(t: Ticket): WaitingPlayer {
  const [p] = t.players;
  return { id: t.id, userId: p.userId, rating: p.rating, region: t.region, enqueuedAt: t.enqueuedAt };
}

function onePerTicket(tickets: readonly Ticket[], nowMs: number, policy: MatchPolicy): TeamMatch[] {
  const byId = new Map<string, Ticket>();
  const players: WaitingPlayer[] = [];
  for (const t of tickets) {
    if (t.players.length !== 1) continue;
    byId.set(t.id, t);
    players.push(asPlayer(t));
  }
  // findPairs' a is the longer waiter, as a TeamMatch's a: the pairs keep their order and sides
  return findPairs(players, nowMs, policy).map((pair) => {
    const m = makeTeamMatch([byId.get(pair.a.id)!], [byId.get(pair.b.id)!]);
    return { ...m, gap: pair.gap };
  });
}

export function findTeamMatchesDetailed(
  tickets: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
  options: TeamMatchOptions = {},
): { matches: TeamMatch[]; stats: TeamMatchStats } {
  if (!Number.isInteger(teamSize) || teamSize < 1) throw new Error(`teamSize must be a positive integer: ${teamSize}`);
  if (teamSize === 1) return { matches: onePerTicket(tickets, nowMs, policy), stats: { bands: [], chosen: 'dp' } };
  const P = prepareTickets(tickets, teamSize, nowMs, policy);
  const found = new RankMatches(P.n);
  const used = found.matchOf;
  const bands: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    let free = 0;
    for (let k = 0; k < P.n; k++) if (used[k] < 0) free++;
    if (free < 2) break;
    const rest = new Int32Array(free);
    for (let k = 0, r = 0; k < P.n; k++) if (used[k] < 0) rest[r++] = k;
    const K = Math.min(options.band ?? chooseTeamBand(free, teamSize), free - 1);
    bands.push(K);
    if (teamBandDp(P, rest, K, found) === 0) break;
  }
  let best = found;
  let chosen: TeamMatchStats['chosen'] = 'dp';
  if (options.guard ?? P.n <= GUARD_MAX_N) {
    const greedy = greedyOnPreparedTickets(P);
    if (compareTeamValues(rankValue(P, greedy), rankValue(P, found), 0) > 0) {
      best = greedy;
      chosen = 'greedy';
    }
  }
  return { matches: toTeamMatches(P, best), stats: { bands, chosen } };
}

/**
 * The shipped team matcher: pure and deterministic (everything runs on the canonical ticket order, so
 * the input order does not matter), the clock passed in. Tickets of more than teamSize players are ignored.
 */
export function findTeamMatches(
  tickets: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
): TeamMatch[] {
  return findTeamMatchesDetailed(tickets, teamSize, nowMs, policy).matches;
}
