import { runMatcherBench } from './matcher/matcher.bench';

/**
 * `npm run bench`: the matcher against the greedy baseline and the exact optimum. Figures are ratios
 * against baselines measured in the same run; nothing here asserts a time.
 */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'matcher') {
    console.log('\n# Matcher\n');
    await runMatcherBench();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
