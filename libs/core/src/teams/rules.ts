import { inCooldown, MatchPolicy } from '../matching/types';
import { pastTicketFallback, Ticket, ticketWindow } from './types';

/**
 * §7's region rule read for several tickets: every two tickets of the match (team-mates and opponents)
 * must agree as a 1v1 pair would — the same region, or either has none, or either has waited
 * regionFallbackSeconds. Equivalently: the tickets that have a region and have NOT waited the fallback
 * all share one region; tickets past the fallback or without a region go with anyone. With one player
 * per ticket and two tickets this is exactly isAllowedPair's region clause. (The looser "some ticket
 * waited the fallback, so regions no longer matter" would let one old ticket put two young tickets of
 * different regions in one game, which no 1v1 pair of theirs would allow.)
 */
export function regionsAgree(tickets: readonly Ticket[], nowMs: number, policy: MatchPolicy): boolean {
  let young: string | null = null;
  for (const t of tickets) {
    if (t.region === null || pastTicketFallback(t, nowMs, policy)) continue;
    if (young === null) young = t.region;
    else if (young !== t.region) return false;
  }
  return true;
}

function playerCount(tickets: readonly Ticket[]): number {
  return tickets.reduce((s, t) => s + t.players.length, 0);
}

function ratingSum(tickets: readonly Ticket[]): number {
  let sum = 0;
  for (const t of tickets) for (const p of t.players) sum += p.rating;
  return sum;
}

/**
 * The §12 rule for one match, side x against side y (reference implementation on objects: the matchers
 * use their own precomputed form; specs and the exhaustive search use this one).
 */
export function isAllowedTeamMatch(
  x: readonly Ticket[],
  y: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
): boolean {
  if (playerCount(x) !== teamSize || playerCount(y) !== teamSize) return false;
  const all = [...x, ...y];
  if (new Set(all.map((t) => t.id)).size !== all.length) return false;
  const users = all.flatMap((t) => t.players.map((p) => p.userId));
  if (new Set(users).size !== users.length) return false;
  const ratings = all.flatMap((t) => t.players.map((p) => p.rating));
  if (Math.max(...ratings) - Math.min(...ratings) > policy.windowMax) return false;
  // gap of the means ≤ window ⇔ gap of the sums ≤ N·window: exact for integer ratings whatever N (no thirds)
  const sumGap = Math.abs(ratingSum(x) - ratingSum(y));
  if (all.some((t) => sumGap > ticketWindow(t, nowMs, policy) * teamSize)) return false;
  if (!regionsAgree(all, nowMs, policy)) return false;
  for (const tx of x) {
    for (const ty of y) {
      for (const px of tx.players) {
        for (const py of ty.players) if (inCooldown(policy.cooldown, px.userId, py.userId)) return false;
      }
    }
  }
  return true;
}
