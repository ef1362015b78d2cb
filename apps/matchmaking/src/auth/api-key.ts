import { timingSafeEqual } from 'crypto';

/** Constant-time comparison with the configured internal API key; no key configured matches nothing. */
export function apiKeyMatches(expected: string | undefined, given: string): boolean {
  if (!expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
