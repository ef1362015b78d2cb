import { ratingWindow, WindowPolicy } from '../rating-window';

export interface WaitingPlayer {
  /** queue entry id (opaque) */
  id: string;
  userId: string;
  rating: number;
  /** upper-cased region code, or null = no preference */
  region: string | null;
  /** epoch ms */
  enqueuedAt: number;
}

export interface MatchPolicy extends WindowPolicy {
  regionFallbackSeconds: number;
  /** users who may not be paired now (rematch cooldown); see cooldownFromPairs */
  cooldown?: Cooldown;
}

/**
 * Rematch cooldown: userId → the userIds it may not be paired with now. A pair is blocked when
 * either side lists the other, so a hand-built one-sided map works too.
 */
export type Cooldown = ReadonlyMap<string, ReadonlySet<string>>;

/** a = the one who waited longer (earlier enqueuedAt; tie by id). */
export interface Pair {
  a: WaitingPlayer;
  b: WaitingPlayer;
  gap: number;
}

/** The cooldown map of unordered user pairs, both directions filled. */
export function cooldownFromPairs(pairs: Iterable<readonly [string, string]>): Cooldown {
  const blocked = new Map<string, Set<string>>();
  const add = (x: string, y: string): void => {
    let partners = blocked.get(x);
    if (!partners) blocked.set(x, (partners = new Set()));
    partners.add(y);
  };
  for (const [a, b] of pairs) {
    add(a, b);
    add(b, a);
  }
  return blocked;
}

/** True when the cooldown forbids pairing these two users (either direction). */
export function inCooldown(cooldown: Cooldown | undefined, userA: string, userB: string): boolean {
  if (cooldown === undefined) return false;
  return cooldown.get(userA)?.has(userB) === true || cooldown.get(userB)?.has(userA) === true;
}

/** Waiting time in ms, clamped at 0 (clock skew). Integer when the inputs are integer ms. */
export function waitMs(p: WaitingPlayer, nowMs: number): number {
  return Math.max(0, nowMs - p.enqueuedAt);
}

function playerWindow(p: WaitingPlayer, nowMs: number, policy: WindowPolicy): number {
  return ratingWindow((nowMs - p.enqueuedAt) / 1000, policy);
}

function pastRegionFallback(p: WaitingPlayer, nowMs: number, policy: MatchPolicy): boolean {
  return (nowMs - p.enqueuedAt) / 1000 >= policy.regionFallbackSeconds;
}

/** Same-region pair for objective (4): both have a region and it is the same (null = no preference, never "same"). */
export function isSameRegion(a: WaitingPlayer, b: WaitingPlayer): boolean {
  return a.region !== null && a.region === b.region;
}

export function isAllowedPair(a: WaitingPlayer, b: WaitingPlayer, nowMs: number, policy: MatchPolicy): boolean {
  if (a.userId === b.userId || a.id === b.id) return false;
  const gap = Math.abs(a.rating - b.rating);
  if (gap > playerWindow(a, nowMs, policy) || gap > playerWindow(b, nowMs, policy)) return false;
  const regionOk =
    a.region === null ||
    b.region === null ||
    a.region === b.region ||
    pastRegionFallback(a, nowMs, policy) ||
    pastRegionFallback(b, nowMs, policy);
  if (!regionOk) return false;
  return !inCooldown(policy.cooldown, a.userId, b.userId);
}

/** True when `x` waited longer than `y` (earlier enqueuedAt; tie by id). */
function waitedLonger(x: WaitingPlayer, y: WaitingPlayer): boolean {
  return x.enqueuedAt < y.enqueuedAt || (x.enqueuedAt === y.enqueuedAt && x.id < y.id);
}

export function makePair(x: WaitingPlayer, y: WaitingPlayer): Pair {
  const [a, b] = waitedLonger(x, y) ? [x, y] : [y, x];
  return { a, b, gap: Math.abs(a.rating - b.rating) };
}

/**
 * Lexicographic objective of a set of pairs, compared in order:
 * [pairs (max), total wait ms of paired players (max), -total rating gap (max), same-region pairs (max)].
 * Same-region is only the last tie-break: before regionFallbackSeconds cross-region pairs are not
 * allowed at all (isAllowedPair), and after it a fairer game (smaller gap) matters more.
 */
export type MatchingValue = [pairs: number, waitMs: number, negGap: number, sameRegion: number];

export function scorePairs(pairs: readonly Pair[], nowMs: number): MatchingValue {
  let w = 0;
  let s = 0;
  let g = 0;
  for (const p of pairs) {
    w += waitMs(p.a, nowMs) + waitMs(p.b, nowMs);
    if (isSameRegion(p.a, p.b)) s++;
    g += p.gap;
  }
  return [pairs.length, w, -g, s];
}

/** >0 when x is better than y. `eps` tolerates float noise in the gap level only. */
export function compareValues(x: MatchingValue, y: MatchingValue, eps = 1e-9): number {
  if (x[0] !== y[0]) return x[0] - y[0];
  if (x[1] !== y[1]) return x[1] - y[1];
  const d = x[2] - y[2];
  if (Math.abs(d) > eps) return d;
  return x[3] - y[3];
}
