import { Cooldown, cooldownFromPairs, WaitingPlayer } from '../matching/types';

export type PlayerBuilder = (
  id: string,
  rating: number,
  waitedMs: number,
  region?: string | null,
  userId?: string,
) => WaitingPlayer;

/**
 * `p(id, rating, waitedMs, region = 'EU', userId = 'u-<id>')`: a waiting player who joined
 * waitedMs before nowMs, for table-driven tests.
 */
export function playerBuilder(nowMs: number): PlayerBuilder {
  return (id, rating, waitedMs, region = 'EU', userId = `u-${id}`) => ({
    id,
    userId,
    rating,
    region,
    enqueuedAt: nowMs - waitedMs,
  });
}

export interface RandomPoolOptions {
  /** drawn uniformly; null = no preference */
  regions: Array<string | null>;
  /** random user pairs in cooldown (ids u0..u<n-1>, a user may be drawn with itself) */
  cooldowns: number;
  /** chance that a player is user "u-dup" (the same user queued twice) */
  sameUserChance: number;
  maxWaitMs: number;
}

/** Random pool for property tests: ratings uniform in 1400–1700 (integers), waits in integer ms. */
export function randomPlayers(
  random: () => number,
  n: number,
  nowMs: number,
  opts: RandomPoolOptions,
): { players: WaitingPlayer[]; cooldown: Cooldown } {
  const players: WaitingPlayer[] = [];
  for (let k = 0; k < n; k++) {
    const region = opts.regions[Math.floor(random() * opts.regions.length)];
    const userId = random() < opts.sameUserChance ? 'u-dup' : `u${k}`;
    players.push({
      id: `p${k}`,
      userId,
      rating: 1400 + Math.round(random() * 300),
      region,
      enqueuedAt: nowMs - Math.floor(random() * opts.maxWaitMs),
    });
  }
  const blocked: Array<[string, string]> = [];
  for (let c = 0; c < opts.cooldowns; c++) {
    blocked.push([`u${Math.floor(random() * n)}`, `u${Math.floor(random() * n)}`]);
  }
  return { players, cooldown: cooldownFromPairs(blocked) };
}
