import { runHttpBench } from './http/http.bench';
import { runMatcherBench } from './matcher/matcher.bench';
import { runMain } from './support/harness';

/**
 * `npm run bench`: the matcher against the greedy baseline and the exact optimum, then the HTTP
 * bench (service vs a bare NestJS hello-world). `node dist/bench/run.js matcher|http` runs one part.
 * Figures are ratios against baselines measured in the same run; nothing here asserts a time.
 */
runMain(async () => {
  const only = process.argv[2];
  if (only && only !== 'matcher' && only !== 'http') throw new Error(`unknown part "${only}": use matcher or http`);
  if (!only || only === 'matcher') {
    console.log('\n# Matcher\n');
    await runMatcherBench();
  }
  if (!only || only === 'http') {
    await runHttpBench();
  }
});
