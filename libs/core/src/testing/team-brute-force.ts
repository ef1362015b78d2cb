import { MatchPolicy } from '../matching/types';
import { isAllowedTeamMatch } from '../teams/rules';
import {
  compareTeamValues,
  fitsTeam,
  makeTeamMatch,
  scoreTeamMatches,
  TeamMatch,
  TeamMatchingValue,
  Ticket,
} from '../teams/types';

interface Option {
  members: number; // bitmask of ticket indices
  match: TeamMatch;
  value: TeamMatchingValue;
}

const add = (x: TeamMatchingValue, y: TeamMatchingValue): TeamMatchingValue => [
  x[0] + y[0],
  x[1] + y[1],
  x[2] + y[2],
  x[3] + y[3],
];

/** Every allowed match of the pool (each ticket subset of 2N players, every split into two teams), by lowest member. */
function allOptions(tickets: readonly Ticket[], teamSize: number, nowMs: number, policy: MatchPolicy): Option[][] {
  const n = tickets.length;
  const byLowest: Option[][] = tickets.map(() => []);
  for (let set = 1; set < 1 << n; set++) {
    const members = tickets.flatMap((_, i) => ((set >> i) & 1 ? [i] : []));
    if (members.reduce((s, i) => s + tickets[i].players.length, 0) !== 2 * teamSize) continue;
    for (let side = 0; side < 1 << members.length; side++) {
      const x = members.filter((_, j) => (side >> j) & 1).map((i) => tickets[i]);
      const y = members.filter((_, j) => ((side >> j) & 1) === 0).map((i) => tickets[i]);
      if (!isAllowedTeamMatch(x, y, teamSize, nowMs, policy)) continue;
      const match = makeTeamMatch(x, y);
      byLowest[members[0]].push({ members: set, match, value: scoreTeamMatches([match], nowMs) });
    }
  }
  return byLowest;
}

/**
 * Exhaustive lexicographic optimum of the team objective (tests / benchmarks only; exponential, use
 * n ≤ ~14 tickets): every allowed match by the reference rule (isAllowedTeamMatch), every split, and a
 * memoised search over the sets of tickets still free — the lowest free ticket is either left out or in
 * any allowed match of free tickets.
 */
export function bruteForceTeamOptimum(
  all: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
): { matches: TeamMatch[]; value: TeamMatchingValue } {
  const tickets = all.filter((t) => fitsTeam(t, teamSize));
  const n = tickets.length;
  const options = allOptions(tickets, teamSize, nowMs, policy);
  const memo = new Map<number, { value: TeamMatchingValue; picks: Option[] }>();
  const best = (free: number): { value: TeamMatchingValue; picks: Option[] } => {
    if (free === 0) return { value: [0, 0, 0, 0], picks: [] };
    const hit = memo.get(free);
    if (hit) return hit;
    let i = 0;
    while (((free >> i) & 1) === 0) i++;
    let result = best(free & ~(1 << i));
    for (const o of options[i]) {
      if ((o.members & free) !== o.members) continue;
      const rest = best(free & ~o.members);
      const value = add(o.value, rest.value);
      if (compareTeamValues(value, result.value) > 0) result = { value, picks: [o, ...rest.picks] };
    }
    memo.set(free, result);
    return result;
  };
  const { picks } = best((1 << n) - 1);
  const matches = picks.map((o) => o.match);
  return { matches, value: scoreTeamMatches(matches, nowMs) };
}
