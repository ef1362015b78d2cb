export * from './types';
export * from './color';
export { greedyPairs } from './greedy';
export { findPairs, findPairsDetailed } from './matcher';
export type { MatchStats, Strategy } from './matcher';
export { bruteForceOptimum } from './testing';
