import { ratingWindow } from '../rating-window';
import { MatchPolicy } from '../matching/types';

export interface TicketPlayer {
  userId: string;
  rating: number;
}

/** A queue entry of 1..N players (a party, or a player alone); its region and wait are the ticket's. */
export interface Ticket {
  /** queue entry id (opaque) */
  id: string;
  players: TicketPlayer[];
  /** upper-cased region code, or null = no preference */
  region: string | null;
  /** epoch ms */
  enqueuedAt: number;
}

export interface Team {
  /** whole tickets, in queue order (longest waiter first) */
  tickets: Ticket[];
  /** mean of its players' ratings */
  rating: number;
}

/** a = the team holding the longest waiter (earliest enqueuedAt, tie by ticket id). */
export interface TeamMatch {
  a: Team;
  b: Team;
  /** |a.rating − b.rating| */
  gap: number;
}

/**
 * Lexicographic objective of a set of team matches, each level to maximise:
 * [players matched, their total wait ms (a ticket's wait counts once per player), −total team-rating gap,
 * −total in-team spread (max − min player rating of each team, summed)].
 */
export type TeamMatchingValue = [players: number, waitMs: number, negGap: number, negSpread: number];

export function ticketWaitMs(t: Ticket, nowMs: number): number {
  return Math.max(0, nowMs - t.enqueuedAt);
}

export function ticketWindow(t: Ticket, nowMs: number, policy: MatchPolicy): number {
  return ratingWindow((nowMs - t.enqueuedAt) / 1000, policy);
}

export function pastTicketFallback(t: Ticket, nowMs: number, policy: MatchPolicy): boolean {
  return (nowMs - t.enqueuedAt) / 1000 >= policy.regionFallbackSeconds;
}

/** True when `x` waited longer than `y` (earlier enqueuedAt; tie by id). */
export function ticketWaitedLonger(x: Ticket, y: Ticket): boolean {
  return x.enqueuedAt < y.enqueuedAt || (x.enqueuedAt === y.enqueuedAt && x.id < y.id);
}

/**
 * Tickets the team matchers consider for teams of `teamSize`: 1..teamSize players (a larger party is refused
 * at join; here it is ignored) and no user twice in it (such a ticket could never be part of a valid match).
 */
export function fitsTeam(t: Ticket, teamSize: number): boolean {
  const ps = t.players;
  if (ps.length < 1 || ps.length > teamSize) return false;
  for (let a = 1; a < ps.length; a++) for (let b = 0; b < a; b++) if (ps[a].userId === ps[b].userId) return false;
  return true;
}

export function makeTeam(tickets: readonly Ticket[]): Team {
  const sorted = tickets.slice().sort((x, y) => (ticketWaitedLonger(x, y) ? -1 : ticketWaitedLonger(y, x) ? 1 : 0));
  let sum = 0;
  let count = 0;
  for (const t of sorted) {
    for (const p of t.players) sum += p.rating;
    count += t.players.length;
  }
  return { tickets: sorted, rating: count === 0 ? 0 : sum / count };
}

/** The match of two sides; the side holding the longest waiter becomes `a`. */
export function makeTeamMatch(x: readonly Ticket[], y: readonly Ticket[]): TeamMatch {
  const tx = makeTeam(x);
  const ty = makeTeam(y);
  const [a, b] = ticketWaitedLonger(tx.tickets[0], ty.tickets[0]) ? [tx, ty] : [ty, tx];
  return { a, b, gap: Math.abs(a.rating - b.rating) };
}

/** max − min player rating inside the team */
export function teamSpread(team: Team): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of team.tickets) {
    for (const p of t.players) {
      if (p.rating < lo) lo = p.rating;
      if (p.rating > hi) hi = p.rating;
    }
  }
  return hi - lo;
}

function teamScore(team: Team, nowMs: number, into: TeamMatchingValue): void {
  for (const t of team.tickets) {
    into[0] += t.players.length;
    into[1] += t.players.length * ticketWaitMs(t, nowMs);
  }
  into[3] -= teamSpread(team);
}

export function scoreTeamMatches(matches: readonly TeamMatch[], nowMs: number): TeamMatchingValue {
  const value: TeamMatchingValue = [0, 0, 0, 0];
  for (const m of matches) {
    teamScore(m.a, nowMs, value);
    teamScore(m.b, nowMs, value);
    value[2] -= m.gap;
  }
  return value;
}

/** >0 when x is better than y. `eps` tolerates float noise in the gap and spread levels (team means are fractions). */
export function compareTeamValues(x: TeamMatchingValue, y: TeamMatchingValue, eps = 1e-6): number {
  if (x[0] !== y[0]) return x[0] - y[0];
  if (x[1] !== y[1]) return x[1] - y[1];
  const d = x[2] - y[2];
  if (Math.abs(d) > eps) return d;
  const s = x[3] - y[3];
  return Math.abs(s) > eps ? s : 0;
}
