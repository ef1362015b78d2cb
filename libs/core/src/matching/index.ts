export * from './types';
export * from './color';
export { greedyPairs } from './greedy';
export { findPairs } from './matcher';
