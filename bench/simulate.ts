import { runChaosSoak } from './simulation/chaos/chaos-run';
import { runLoadSimulation } from './simulation/load-run';
import { MatcherName, MATCHERS, runReplayComparison } from './simulation/replay/replay-run';
import { runMain } from './support/harness';

/**
 * `npm run simulate [-- options]` (bench/README.md has every setting):
 *
 * - no option: the load simulation (service + stub + simulated players over HTTP) with its report;
 * - `--chaos` (or SIM_CHAOS=1): the chaos soak, 1 api + 2 workers under a seeded fault schedule,
 *   then the accounting identity and the client-side view; exits 1 on any violation;
 * - `--replay` or `--matcher shipped|greedy|both`: one seeded arrival trace replayed through the
 *   pure matchers tick by tick, time to match and rating gap side by side.
 */
function parseArgs(argv: string[]): { mode: 'load' | 'chaos' | 'replay'; matchers: MatcherName[] } {
  let mode: 'load' | 'chaos' | 'replay' = process.env.SIM_CHAOS === '1' ? 'chaos' : 'load';
  let matchers: MatcherName[] = [...MATCHERS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--chaos') mode = 'chaos';
    else if (arg === '--replay') mode = 'replay';
    else if (arg === '--matcher' || arg.startsWith('--matcher=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value !== 'both' && !MATCHERS.includes(value as MatcherName))
        throw new Error(`--matcher ${value}: expected ${MATCHERS.join(', ')} or both`);
      matchers = value === 'both' ? [...MATCHERS] : [value as MatcherName];
      mode = 'replay';
    } else throw new Error(`unknown option ${arg}: use --chaos, --replay or --matcher shipped|greedy|both`);
  }
  return { mode, matchers };
}

runMain(async () => {
  const { mode, matchers } = parseArgs(process.argv.slice(2));
  if (mode === 'chaos') return runChaosSoak();
  if (mode === 'replay') return runReplayComparison(matchers);
  return runLoadSimulation();
});
