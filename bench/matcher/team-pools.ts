import { cooldownFromPairs, MatchPolicy, Ticket } from '@app/core';
import { normal, seededRandom } from '@app/core/testing';
import { DEFAULT_POLICY, DEFAULT_REGIONS } from './pools';

export interface TeamPoolOptions {
  /** tickets */
  size: number;
  seed?: number;
  nowMs?: number;
  /** share of tickets that are parties of 2 (the rest play alone) */
  partyShare?: number;
  maxWaitSeconds?: number;
}

export interface SyntheticTeamPool {
  tickets: Ticket[];
  nowMs: number;
  policy: MatchPolicy;
}

/**
 * Seeded 2v2 pool shaped like the 1v1 bench pools (generatePool): ratings ~N(1500, 300) rounded, a party
 * mate ~N(own, 100) (friends play at similar strength), regions EU/NA/ASIA/SA plus ~10 % null, waits
 * uniform over 0–300 s in integer ms, one cooldown pair per 200 tickets among rating neighbours.
 */
export function generateTeamPool(options: TeamPoolOptions): SyntheticTeamPool {
  const { size, seed = 1, nowMs = 1_700_000_000_000, partyShare = 0.3, maxWaitSeconds = 300 } = options;
  const random = seededRandom(seed);
  const tickets: Ticket[] = [];
  const rating = (mean: number, sd: number): number => Math.max(100, Math.round(normal(random, mean, sd)));
  for (let k = 0; k < size; k++) {
    const lead = rating(1500, 300);
    const players = [{ userId: `u${seed}-${k}`, rating: lead }];
    if (random() < partyShare) players.push({ userId: `u${seed}-${k}b`, rating: rating(lead, 100) });
    const region = random() < 0.1 ? null : DEFAULT_REGIONS[Math.floor(random() * DEFAULT_REGIONS.length)];
    const waitMs = Math.floor(random() * maxWaitSeconds * 1000);
    tickets.push({ id: `t${seed}-${k}`, players, region, enqueuedAt: nowMs - waitMs });
  }
  const sorted = tickets.map((t) => t.players[0]).sort((a, b) => a.rating - b.rating);
  const cooldown: Array<[string, string]> = [];
  for (let c = 0; c < Math.max(1, Math.round(size / 200)) && size >= 2; c++) {
    const k = Math.floor(random() * (size - 1));
    cooldown.push([sorted[k].userId, sorted[k + 1].userId]);
  }
  return { tickets, nowMs, policy: { ...DEFAULT_POLICY, cooldown: cooldownFromPairs(cooldown) } };
}
