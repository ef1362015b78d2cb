import { seededRandom } from '@app/core/testing';

/** The seeded fault schedule of the chaos soak: what happens when, printed before the run. */

export const INFRA_FAULTS = ['worker-kill', 'api-kill', 'redis-restart', 'redis-flush', 'pg-cut'] as const;
export const STUB_FAULTS = ['stub-slow', 'stub-failing', 'stub-down'] as const;
export type FaultKind = (typeof INFRA_FAULTS)[number] | (typeof STUB_FAULTS)[number];

/** Kinds that make PostgreSQL or Redis unreachable: the only times a 503 is an honest answer. */
export const DEPENDENCY_FAULTS: ReadonlySet<FaultKind> = new Set(['redis-restart', 'pg-cut']);

export interface PlannedFault {
  kind: FaultKind;
  /** ms after the start of the load */
  atMs: number;
  /** how long the fault lasts before it is repaired (a killed process: time until its restart) */
  durationMs: number;
  /** worker index for worker-kill; 1 = the stub answers with a reset connection instead of 503 when down */
  variant: number;
}

/** [min, max] ms a fault of each kind lasts. */
const DURATION_MS: Record<FaultKind, [number, number]> = {
  'worker-kill': [300, 2000],
  'api-kill': [300, 2000],
  'redis-restart': [1000, 4000],
  'redis-flush': [0, 0],
  'pg-cut': [2000, 6000],
  'stub-slow': [4000, 9000],
  'stub-failing': [4000, 9000],
  'stub-down': [3000, 8000],
};
/** Calm between two faults of one lane, so the service is seen recovering as well as failing. */
const GAP_MS: [number, number] = [1000, 4000];
/** The stub lane rests longer: back-to-back stub faults would outlast every game's retries, by design. */
const STUB_GAP_MS: [number, number] = [3000, 8000];
/** The load runs this long before the first fault: players are queued and playing when chaos starts. */
export const FIRST_FAULT_MS = 5000;

/**
 * Two lanes over [FIRST_FAULT_MS, durationMs): infrastructure faults one at a time (so every 503 can
 * be traced to one outage) and stub faults, which only slow game creation, alongside them. Each lane
 * goes through its kinds in seeded random rounds; the Redis FLUSHDB happens once.
 */
export function planFaults(seed: number, totalMs: number): PlannedFault[] {
  const random = seededRandom(seed ^ 0x5eed);
  const between = (r: [number, number]) => Math.round(r[0] + random() * (r[1] - r[0]));
  const lane = (kinds: readonly FaultKind[], gap: [number, number]): PlannedFault[] => {
    const out: PlannedFault[] = [];
    let t = FIRST_FAULT_MS;
    let flushed = false;
    for (;;) {
      const order = kinds.filter((k) => k !== 'redis-flush' || !flushed);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const kind of order) {
        const durationMs = between(DURATION_MS[kind]);
        if (t + durationMs > totalMs) return out;
        out.push({ kind, atMs: t, durationMs, variant: Math.floor(random() * 2) });
        if (kind === 'redis-flush') flushed = true;
        t += durationMs + between(gap);
      }
    }
  };
  return [...lane(INFRA_FAULTS, GAP_MS), ...lane(STUB_FAULTS, STUB_GAP_MS)].sort((a, b) => a.atMs - b.atMs);
}

export function describeFault(f: PlannedFault): string {
  const target =
    f.kind === 'worker-kill' ? ` worker-${f.variant + 1}` : f.kind === 'stub-down' && f.variant ? ' (reset)' : '';
  return `${(f.atMs / 1000).toFixed(1).padStart(6)} s  ${f.kind}${target}  for ${(f.durationMs / 1000).toFixed(1)} s`;
}
