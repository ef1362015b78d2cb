import { DEFAULT_POLICY } from '../../matcher/pools';
import { envInt, log, quantile, sortedNumbers } from '../../support/harness';
import { MatcherName, replay, ReplayOutcome } from './engine';
import { buildTrace } from './trace';

export { MATCHERS } from './engine';
export type { MatcherName } from './engine';

/**
 * `npm run simulate -- --replay` (or `--matcher shipped|greedy|both`): one seeded arrival trace replayed
 * through each matcher at the service's tick and default policy; a pair chosen now changes who is left
 * for later ticks, so this measures the matchers over time, not on one snapshot. Pure and deterministic:
 * the same seed gives the same table on any machine.
 */
export async function runReplayComparison(matchers: MatcherName[]): Promise<number> {
  const seed = envInt('SIM_SEED', 42);
  const durationS = envInt('SIM_DURATION_S', 600);
  const arrivalRate = envInt('SIM_ARRIVAL_RATE', 4);
  const tickMs = envInt('SIM_REPLAY_TICK_MS', 1000);
  const queueTimeoutS = envInt('SIM_QUEUE_TIMEOUT_S', 600);
  const trace = buildTrace({ seed, durationS, arrivalRate, cancelShare: envInt('SIM_CANCEL_SHARE', 0.05) });
  log(`replaying ${trace.length} joins (seed ${seed}, ${durationS} s at ${arrivalRate}/s, ticks ${tickMs} ms)…`);
  const outcomes = matchers.map((m) => replay(trace, m, DEFAULT_POLICY, tickMs, queueTimeoutS * 1000));
  printComparison(outcomes, { seed, joins: trace.length, durationS, arrivalRate, tickMs, queueTimeoutS });
  return 0;
}

function printComparison(outcomes: ReplayOutcome[], s: Record<string, number>): void {
  const r1 = (n: number | null) => (n === null ? 'n/a' : String(Math.round(n * 10) / 10));
  const rows: Array<[string, (o: ReplayOutcome) => string]> = [
    ['players paired', (o) => String(o.waits.length)],
    ['time to match p50 (s)', (o) => r1(quantile(sortedNumbers(o.waits), 0.5))],
    ['time to match p95 (s)', (o) => r1(quantile(sortedNumbers(o.waits), 0.95))],
    ['time to match p99 (s)', (o) => r1(quantile(sortedNumbers(o.waits), 0.99))],
    ['time to match mean (s)', (o) => r1(o.waits.reduce((a, b) => a + b, 0) / Math.max(1, o.waits.length))],
    ['rating gap p50', (o) => r1(quantile(sortedNumbers(o.gaps), 0.5))],
    ['rating gap p95', (o) => r1(quantile(sortedNumbers(o.gaps), 0.95))],
    ['rating gap mean', (o) => r1(o.gaps.reduce((a, b) => a + b, 0) / Math.max(1, o.gaps.length))],
    ['timed out', (o) => String(o.timedOut)],
    ['cancelled while waiting', (o) => String(o.cancelled)],
    ['matcher time, all ticks (ms)', (o) => r1(o.matcherMs)],
  ];
  console.log(
    `\n# Replay: ${s.joins} joins, seed ${s.seed}, ${s.durationS} s at ${s.arrivalRate}/s over 4 pools, ` +
      `ticks ${s.tickMs} ms, queue timeout ${s.queueTimeoutS} s, service default rating window\n`,
  );
  const w = 30;
  console.log(`| ${'figure'.padEnd(w)} | ${outcomes.map((o) => o.matcher.padStart(8)).join(' | ')} |`);
  console.log(`| ${'-'.repeat(w)} | ${outcomes.map(() => '-------:').join(' | ')} |`);
  for (const [name, f] of rows)
    console.log(`| ${name.padEnd(w)} | ${outcomes.map((o) => f(o).padStart(8)).join(' | ')} |`);
}
