import { runHttpBench } from './http/http.bench';
import { runMatcherBench } from './matcher/matcher.bench';
import { runTeamsBench } from './matcher/teams.bench';
import { runTicksBench } from './ticks/ticks.bench';
import { runPoolsBench } from './ticks/pools.bench';
import { runTopologyBench } from './http/topology.bench';
import { runStatementsBench } from './http/statements.bench';
import { log, runMain } from './support/harness';

/**
 * `npm run bench`: every part below, in order; `node dist/bench/run.js http,ticks` (or BENCH_PARTS)
 * runs some. Figures are ratios against baselines or ceilings measured in the same run; nothing here
 * asserts a time.
 */
const PARTS: Record<string, { title: string; run: () => Promise<unknown> }> = {
  matcher: { title: 'Matcher', run: runMatcherBench },
  teams: { title: 'Team matcher (2v2)', run: runTeamsBench },
  http: { title: 'HTTP', run: runHttpBench },
  statements: { title: 'Prepared vs unprepared statements', run: runStatementsBench },
  ticks: { title: 'Ticks at scale', run: runTicksBench },
  pools: { title: 'Many pools', run: runPoolsBench },
  topology: { title: 'ROLE=all vs api + worker', run: runTopologyBench },
};

runMain(async () => {
  const chosen = (process.argv[2] ?? process.env.BENCH_PARTS ?? Object.keys(PARTS).join(','))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of chosen) {
    if (!PARTS[part]) throw new Error(`unknown part "${part}": use ${Object.keys(PARTS).join(', ')}`);
  }
  for (const part of chosen) {
    log(`\n== ${PARTS[part].title} ==`);
    console.log(`\n# ${PARTS[part].title}\n`);
    await PARTS[part].run();
  }
});
