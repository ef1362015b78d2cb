import { WaitingPlayer } from '../matching/types';

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
