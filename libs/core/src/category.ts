import { estimatedDurationSeconds, TimeControl } from './time-control';

export const SPEED_CATEGORIES = ['bullet', 'blitz', 'rapid', 'classical'] as const;
export type SpeedCategory = (typeof SPEED_CATEGORIES)[number];

export const MODES = ['rated', 'casual'] as const;
export type Mode = (typeof MODES)[number];

export const STANDARD_VARIANT = 'standard';

export function speedCategory(tc: TimeControl): SpeedCategory {
  const seconds = estimatedDurationSeconds(tc);
  if (seconds < 180) return 'bullet';
  if (seconds < 480) return 'blitz';
  if (seconds < 1500) return 'rapid';
  return 'classical';
}

/** Standard chess is rated by speed; every other variant has one rating of its own name. */
export function ratingCategory(variant: string, tc: TimeControl): string {
  return variant === STANDARD_VARIANT ? speedCategory(tc) : variant;
}

/**
 * The categories a player can have, given the variants this deployment allows; with team formats, each
 * has its `team_` twin (SPEC §12: `team_blitz`, `team_chess960`).
 */
export function knownCategories(variants: readonly string[], teams = false): string[] {
  const solo = [...SPEED_CATEGORIES, ...variants.filter((v) => v !== STANDARD_VARIANT)];
  return teams ? [...solo, ...solo.map((c) => `team_${c}`)] : solo;
}
