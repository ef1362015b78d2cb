import { cooldownFromPairs, MatchPolicy, WaitingPlayer } from '@app/core';
import { normal, seededRandom } from '@app/core/testing';

export const DEFAULT_REGIONS = ['EU', 'NA', 'ASIA', 'SA'] as const;

/** Service defaults (libs/config): ±100, +25 every 10 s, max 500, region fallback after 30 s. */
export const DEFAULT_POLICY: MatchPolicy = {
  windowInitial: 100,
  windowStep: 25,
  windowStepSeconds: 10,
  windowMax: 500,
  regionFallbackSeconds: 30,
};

export interface PoolOptions {
  size: number;
  seed?: number;
  nowMs?: number;
  ratingMean?: number;
  ratingSd?: number;
  regions?: readonly string[];
  /** share of players with region null (no preference) */
  nullRegionShare?: number;
  maxWaitSeconds?: number;
  /** number of rematch-cooldown user pairs, chosen among rating neighbours so they bite */
  cooldownPairs?: number;
  policy?: Omit<MatchPolicy, 'cooldown'>;
}

export interface SyntheticPool {
  players: WaitingPlayer[];
  nowMs: number;
  policy: MatchPolicy;
}

/**
 * Seeded synthetic pool: ratings ~ normal(1500, 300) rounded to integers, regions EU/NA/ASIA/SA
 * plus ~10% null, waits uniform over 0–maxWait s in integer ms, a few cooldown pairs.
 * Same options → identical pool.
 */
export function generatePool(options: PoolOptions): SyntheticPool {
  const {
    size,
    seed = 1,
    nowMs = 1_700_000_000_000,
    ratingMean = 1500,
    ratingSd = 300,
    regions = DEFAULT_REGIONS,
    nullRegionShare = 0.1,
    maxWaitSeconds = 300,
    cooldownPairs = Math.max(1, Math.round(size / 200)),
    policy = DEFAULT_POLICY,
  } = options;
  const random = seededRandom(seed);
  const players: WaitingPlayer[] = [];
  for (let k = 0; k < size; k++) {
    const rating = Math.max(100, Math.round(normal(random, ratingMean, ratingSd)));
    const region = random() < nullRegionShare ? null : regions[Math.floor(random() * regions.length)];
    const waitMs = Math.floor(random() * maxWaitSeconds * 1000);
    players.push({ id: `q${seed}-${k}`, userId: `u${seed}-${k}`, rating, region, enqueuedAt: nowMs - waitMs });
  }
  const cooldown: Array<[string, string]> = [];
  if (size >= 2 && cooldownPairs > 0) {
    const sorted = [...players].sort((a, b) => a.rating - b.rating || (a.id < b.id ? -1 : 1));
    for (let c = 0; c < cooldownPairs; c++) {
      const k = Math.floor(random() * (size - 1));
      cooldown.push([sorted[k].userId, sorted[k + 1].userId]);
    }
  }
  return { players, nowMs, policy: { ...policy, cooldown: cooldownFromPairs(cooldown) } };
}
