export interface WindowPolicy {
  windowInitial: number;
  windowStep: number;
  windowStepSeconds: number;
  windowMax: number;
}

/** ± rating points a player accepts after waiting `waitSeconds`. */
export function ratingWindow(waitSeconds: number, policy: WindowPolicy): number {
  const steps = Math.floor(Math.max(0, waitSeconds) / policy.windowStepSeconds);
  return Math.min(policy.windowMax, policy.windowInitial + policy.windowStep * steps);
}
