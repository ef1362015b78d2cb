import { normal, seededRandom } from '@app/core/testing';
import { exp, REGIONS, TIME_CONTROLS } from '../settings';

/**
 * One seeded arrival trace: who joins which pool when, and when each would give up. It does not depend
 * on the matcher, so both matchers replay exactly the same joins; what they change is who pairs when.
 */

export interface TraceJoin {
  id: string;
  userId: string;
  pool: string;
  rating: number;
  region: string | null;
  /** ms from the start */
  at: number;
  /** ms after joining at which the player cancels if still waiting (Infinity: never) */
  cancelAfter: number;
}

export interface TraceOptions {
  seed: number;
  durationS: number;
  /** joins per second over all pools */
  arrivalRate: number;
  cancelShare: number;
}

export function buildTrace(o: TraceOptions): TraceJoin[] {
  const random = seededRandom(o.seed ^ 0x7ace);
  const cumulative: number[] = [];
  TIME_CONTROLS.reduce((acc, t) => (cumulative.push(acc + t.weight), acc + t.weight), 0);
  const joins: TraceJoin[] = [];
  for (
    let at = exp(random, 1000 / o.arrivalRate), k = 0;
    at < o.durationS * 1000;
    at += exp(random, 1000 / o.arrivalRate), k++
  ) {
    const r = random();
    const tc =
      TIME_CONTROLS[
        Math.max(
          0,
          cumulative.findIndex((c) => r < c),
        )
      ].tc;
    joins.push({
      id: `j${k}`,
      userId: `u${k}`,
      pool: tc,
      rating: Math.min(3200, Math.max(100, Math.round(normal(random, 1500, 300)))),
      region: random() < 0.1 ? null : REGIONS[Math.floor(random() * REGIONS.length)],
      at: Math.round(at),
      cancelAfter: random() < o.cancelShare ? 2000 + random() * 13_000 : Infinity,
    });
  }
  return joins;
}
