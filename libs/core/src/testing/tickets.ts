import { Cooldown, cooldownFromPairs } from '../matching/types';
import { Ticket } from '../teams/types';

export type TicketBuilder = (
  id: string,
  ratings: number | number[],
  waitedMs: number,
  region?: string | null,
  userIds?: string[],
) => Ticket;

/**
 * `t(id, ratings, waitedMs, region = 'EU', userIds)`: a ticket of one player per rating that joined
 * waitedMs before nowMs; users default to `<id>.1`, `<id>.2`, … (a solo ticket: `<id>`).
 */
export function ticketBuilder(nowMs: number): TicketBuilder {
  return (id, ratings, waitedMs, region = 'EU', userIds) => {
    const list = typeof ratings === 'number' ? [ratings] : ratings;
    const users = userIds ?? (list.length === 1 ? [id] : list.map((_, k) => `${id}.${k + 1}`));
    return {
      id,
      players: list.map((rating, k) => ({ userId: users[k], rating })),
      region,
      enqueuedAt: nowMs - waitedMs,
    };
  };
}

export interface RandomTicketOptions {
  teamSize: number;
  /** drawn uniformly; null = no preference */
  regions: Array<string | null>;
  /** random user pairs in cooldown */
  cooldowns: number;
  maxWaitMs: number;
  /** chance that a ticket has teamSize + 1 players (to be ignored) */
  oversizeChance?: number;
}

/**
 * Random tickets for property tests: sizes uniform in 1..teamSize, a party's ratings within ±60 of a
 * base uniform in 1400–1700 (integers), waits in integer ms, every user distinct (u0, u1, …).
 */
export function randomTickets(
  random: () => number,
  n: number,
  nowMs: number,
  opts: RandomTicketOptions,
): { tickets: Ticket[]; cooldown: Cooldown } {
  const tickets: Ticket[] = [];
  let users = 0;
  for (let k = 0; k < n; k++) {
    const oversize = random() < (opts.oversizeChance ?? 0);
    const size = oversize ? opts.teamSize + 1 : 1 + Math.floor(random() * opts.teamSize);
    const base = 1400 + Math.round(random() * 300);
    const players = Array.from({ length: size }, (_, j) => ({
      userId: `u${users++}`,
      rating: j === 0 ? base : base + Math.round(random() * 120 - 60),
    }));
    const region = opts.regions[Math.floor(random() * opts.regions.length)];
    tickets.push({ id: `t${k}`, players, region, enqueuedAt: nowMs - Math.floor(random() * opts.maxWaitMs) });
  }
  const blocked: Array<[string, string]> = [];
  for (let c = 0; c < opts.cooldowns && users > 1; c++) {
    blocked.push([`u${Math.floor(random() * users)}`, `u${Math.floor(random() * users)}`]);
  }
  return { tickets, cooldown: cooldownFromPairs(blocked) };
}
