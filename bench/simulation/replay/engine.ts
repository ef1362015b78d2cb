import { findPairs, greedyPairs, MatchPolicy, Pair, WaitingPlayer } from '../../../libs/core/src';
import { TraceJoin } from './trace';

export const MATCHERS = ['shipped', 'greedy'] as const;
export type MatcherName = (typeof MATCHERS)[number];
const MATCHER: Record<MatcherName, (players: WaitingPlayer[], nowMs: number, policy: MatchPolicy) => Pair[]> = {
  shipped: findPairs,
  greedy: greedyPairs,
};

export interface ReplayOutcome {
  matcher: MatcherName;
  /** join → pairing, seconds, one per paired player */
  waits: number[];
  gaps: number[];
  timedOut: number;
  cancelled: number;
  stillWaiting: number;
  matcherMs: number;
}

/**
 * The service's tick loop without its I/O: every tickMs each pool's waiting players (joined, not yet
 * paired, cancelled or timed out) go through the matcher; pairs leave the pool. Runs until every join
 * has ended (paired, cancelled, timed out), so both matchers are judged on the same population.
 */
export function replay(
  trace: TraceJoin[],
  matcher: MatcherName,
  policy: MatchPolicy,
  tickMs: number,
  queueTimeoutMs: number,
): ReplayOutcome {
  const out: ReplayOutcome = { matcher, waits: [], gaps: [], timedOut: 0, cancelled: 0, stillWaiting: 0, matcherMs: 0 };
  const pools = new Map<string, Map<string, TraceJoin>>();
  const end = (trace.at(-1)?.at ?? 0) + queueTimeoutMs + tickMs;
  let next = 0;
  for (let now = tickMs; now <= end; now += tickMs) {
    for (; next < trace.length && trace[next].at <= now; next++) {
      const j = trace[next];
      if (!pools.has(j.pool)) pools.set(j.pool, new Map());
      pools.get(j.pool)!.set(j.id, j);
    }
    for (const waiting of pools.values()) {
      for (const j of waiting.values()) {
        const cancels = now - j.at >= j.cancelAfter;
        if (!cancels && now - j.at < queueTimeoutMs) continue;
        waiting.delete(j.id);
        if (cancels) out.cancelled++;
        else out.timedOut++;
      }
      if (waiting.size < 2) continue;
      const players: WaitingPlayer[] = [...waiting.values()].map((j) => ({
        id: j.id,
        userId: j.userId,
        rating: j.rating,
        region: j.region,
        enqueuedAt: j.at,
      }));
      const started = performance.now();
      const pairs = MATCHER[matcher](players, now, policy);
      out.matcherMs += performance.now() - started;
      for (const p of pairs) {
        out.waits.push((now - p.a.enqueuedAt) / 1000, (now - p.b.enqueuedAt) / 1000);
        out.gaps.push(p.gap);
        waiting.delete(p.a.id);
        waiting.delete(p.b.id);
      }
    }
  }
  for (const waiting of pools.values()) out.stillWaiting += waiting.size;
  return out;
}
