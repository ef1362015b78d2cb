import type { MatchPolicy } from '../matching/types';

/** The policy the matcher's tables are written against: ±100 widening by 25 every 10 s up to ±200. */
export const TEST_POLICY: MatchPolicy = {
  windowInitial: 100,
  windowStep: 25,
  windowStepSeconds: 10,
  windowMax: 200,
  regionFallbackSeconds: 30,
};
