import { evalMatch, MatchEval } from './candidate';
import { RankMatches, toTeamMatches } from './output';
import { prepareTickets, PreparedTickets } from './prepared';
import { MatchPolicy } from '../matching/types';
import { Ticket, TeamMatch } from './types';

/**
 * Seed 004's baseline: repeatedly take the tickets of the 2N longest waiters (queue order; a ticket that
 * would overflow 2N players is passed over and stays for a later group), try every split into two teams
 * of N and keep the best allowed one (smallest gap, then in-team spread). When no split is allowed the
 * longest waiter of the group is set aside for this tick and the group is formed again without it.
 * O(n · N²) after the sorts: per-size queues give the next fitting ticket at once.
 */
export function greedyTeamMatches(
  tickets: readonly Ticket[],
  teamSize: number,
  nowMs: number,
  policy: MatchPolicy,
): TeamMatch[] {
  const P = prepareTickets(tickets, teamSize, nowMs, policy);
  return toTeamMatches(P, greedyOnPreparedTickets(P));
}

export function greedyOnPreparedTickets(P: PreparedTickets): RankMatches {
  const N = P.teamSize;
  const bySize: number[][] = Array.from({ length: N + 1 }, () => []);
  for (let q = 0; q < P.n; q++) bySize[P.size[P.queue[q]]].push(P.queue[q]);
  const head = new Int32Array(N + 1);
  const dead = new Uint8Array(P.n);
  const group = new Int32Array(2 * N);
  const ev: MatchEval = { gap: 0, spread: 0, split: 0 };
  const out = new RankMatches(P.n);
  for (;;) {
    for (let s = 1; s <= N; s++) while (head[s] < bySize[s].length && dead[bySize[s][head[s]]]) head[s]++;
    const at = Int32Array.from(head);
    let k = 0;
    let need = 2 * N;
    while (need > 0) {
      let pick = -1;
      for (let s = 1; s <= Math.min(N, need); s++) {
        if (at[s] < bySize[s].length && (pick < 0 || P.qrank[bySize[s][at[s]]] < P.qrank[bySize[pick][at[pick]]])) {
          pick = s;
        }
      }
      if (pick < 0) break;
      group[k++] = bySize[pick][at[pick]++];
      need -= pick;
    }
    if (k === 0) return out;
    if (need === 0 && evalMatch(P, group, k, ev)) {
      const match = out.open();
      for (let a = 0; a < k; a++) {
        dead[group[a]] = 1;
        out.put(group[a], match, ((ev.split >> a) & 1) === 1);
      }
    } else {
      dead[group[0]] = 1;
    }
  }
}
