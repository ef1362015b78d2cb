/** Fixtures for specs and benchmarks; not part of the production index (libs/core/src/index.ts). */
export { bruteForceOptimum } from './brute-force';
export { playerBuilder } from './players';
export type { PlayerBuilder } from './players';
export { normal, seededRandom, shuffled } from './random';
