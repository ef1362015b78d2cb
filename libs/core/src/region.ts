export const REGION_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function normalizeRegion(region: string): string {
  return region.toUpperCase();
}
