/**
 * A match format: `1v1` (the default) or `NvN` for teams of N players, 1 ≤ N ≤ 5 (SPEC §12).
 * `1v1` is both the solo format and N = 1: the team matcher with N = 1 gives exactly the 1v1 pairs.
 */
export type Format = `${number}v${number}`;

export const DEFAULT_FORMAT = '1v1';
export const MAX_TEAM_SIZE = 5;

const FORMAT = /^([1-5])v([1-5])$/;

/** Players per team of a format, or null when it is not `NvN` with 1 ≤ N ≤ 5. */
export function teamSize(format: string): number | null {
  const match = FORMAT.exec(format);
  if (!match || match[1] !== match[2]) return null;
  return Number(match[1]);
}

export function isTeamFormat(format: string): boolean {
  const n = teamSize(format);
  return n !== null && n > 1;
}

/** Rating category of a format: a team format rates in `team_<category>` (`team_blitz`). */
export function formatCategory(category: string, format: string): string {
  return isTeamFormat(format) ? `team_${category}` : category;
}
