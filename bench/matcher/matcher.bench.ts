import {
  compareValues,
  findPairs,
  greedyPairs,
  isAllowedPair,
  isSameRegion,
  makePair,
  MatchingValue,
  MatchPolicy,
  Pair,
  scorePairs,
  WaitingPlayer,
  waitMs,
} from '@app/core';
import { generatePool } from './pools';
import { timeIt } from '../support/timing';

// edmonds-blossom ships no types: (edges [i, j, weight][], maxCardinality) => mate[] (-1 = single)

const blossom: (
  edges: Array<[number, number, number]>,
  maxCardinality?: boolean,
) => number[] = require('edmonds-blossom'); // eslint-disable-line @typescript-eslint/no-require-imports

export interface MatcherBenchOptions {
  /** pool sizes; default [300, 1000, 10000, 100000] */
  sizes?: number[];
  /** global optimum (O(n^3) blossom) only for pools up to this size; default 300 */
  optimumMaxSize?: number;
  seed?: number;
}

interface Row {
  size: number;
  algo: string;
  'ms/tick': number;
  pairs: number;
  'pairs/greedy': string;
  'pairs/opt': string;
  'mean gap': number;
  'p95 gap': number;
  'gap/greedy': string;
  'mean wait s': number;
  'total wait/greedy': string;
  'same-region %': number;
  'lex vs opt': string;
}

/**
 * Exact lexicographic optimum by maximum-weight matching. maxCardinality=true gives objective (1);
 * one integer weight per edge encodes (2) > (3) > (4) = wait > -gap > same-region:
 *   w = waitSum·M2 + (Gc − gap)·M3 + same,  Gc = windowMax >= any allowed gap,
 *   M3 = ⌊n/2⌋ + 1                   (all same-region terms of a matching stay below 1 point of gap)
 *   M2 = ⌊n/2⌋·(Gc·M3 + 1) + 1       (gap + same-region terms stay below 1 ms of total wait)
 * With the pair count fixed by maxCardinality, Σ(Gc − gap) = count·Gc − total gap, so maximising
 * it minimises the total gap. Requires integer ratings and integer-ms waits (the synthetic pools
 * have both) and w·n < 2^53.
 */
export function blossomOptimum(players: readonly WaitingPlayer[], nowMs: number, policy: MatchPolicy): Pair[] {
  const n = players.length;
  const half = Math.floor(n / 2);
  const Gc = policy.windowMax;
  const M3 = half + 1;
  const M2 = half * (Gc * M3 + 1) + 1;
  const edges: Array<[number, number, number]> = [];
  let maxW = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = players[i];
      const b = players[j];
      if (!isAllowedPair(a, b, nowMs, policy)) continue;
      const gap = Math.abs(a.rating - b.rating);
      const ws = waitMs(a, nowMs) + waitMs(b, nowMs);
      if (!Number.isInteger(gap) || !Number.isInteger(ws))
        throw new Error('blossomOptimum needs integer ratings and waits');
      const w = ws * M2 + (Gc - gap) * M3 + (isSameRegion(a, b) ? 1 : 0);
      maxW = Math.max(maxW, w);
      edges.push([i, j, w]);
    }
  }
  if (maxW * Math.max(2, n) >= 2 ** 53) throw new Error('blossomOptimum: weights too large for exact arithmetic');
  if (edges.length === 0) return [];
  const mate = blossom(edges, true);
  const pairs: Pair[] = [];
  for (let i = 0; i < mate.length; i++) if (mate[i] > i) pairs.push(makePair(players[i], players[mate[i]]));
  return pairs;
}

function stats(
  pairs: Pair[],
  nowMs: number,
): { mean: number; p95: number; wait: number; totalWait: number; same: number } {
  if (pairs.length === 0) return { mean: 0, p95: 0, wait: 0, totalWait: 0, same: 0 };
  const gaps = pairs.map((p) => p.gap).sort((a, b) => a - b);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const p95 = gaps[Math.min(gaps.length - 1, Math.ceil(0.95 * gaps.length) - 1)];
  const totalWait = pairs.reduce((s, p) => s + waitMs(p.a, nowMs) + waitMs(p.b, nowMs), 0);
  const wait = totalWait / (2 * pairs.length) / 1000;
  const same = (100 * pairs.filter((p) => isSameRegion(p.a, p.b)).length) / pairs.length;
  return { mean, p95, wait, totalWait, same };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const ratio = (x: number, y: number, digits = 3): string => (y === 0 ? '-' : (x / y).toFixed(digits));

export async function runMatcherBench(options: MatcherBenchOptions = {}): Promise<void> {
  const sizes = options.sizes ?? [300, 1000, 10_000, 100_000];
  const optimumMaxSize = options.optimumMaxSize ?? 300;
  const rows: Row[] = [];
  const started = Date.now();
  for (const size of sizes) {
    const { players, nowMs, policy } = generatePool({ size, seed: (options.seed ?? 1) * 1_000_003 + size });
    const big = size >= 50_000;
    const shipped = timeIt(() => findPairs(players, nowMs, policy), big ? 2 : 3, big ? 5 : 9);
    const greedy = timeIt(() => greedyPairs(players, nowMs, policy), big ? 2 : 3, big ? 5 : 9);
    let optimum: { ms: number; result: Pair[] } | null = null;
    if (size <= optimumMaxSize) optimum = timeIt(() => blossomOptimum(players, nowMs, policy), 0, 1);
    const optValue: MatchingValue | null = optimum ? scorePairs(optimum.result, nowMs) : null;
    const gStats = stats(greedy.result, nowMs);
    const add = (algo: string, t: { ms: number; result: Pair[] }): void => {
      const s = stats(t.result, nowMs);
      const v = scorePairs(t.result, nowMs);
      let lex = '-';
      if (optValue) {
        const c = compareValues(v, optValue);
        lex = c === 0 ? '= opt' : c < 0 ? '< opt' : '> opt (!)';
      }
      rows.push({
        size,
        algo,
        'ms/tick': r1(t.ms),
        pairs: t.result.length,
        'pairs/greedy': ratio(t.result.length, greedy.result.length, 4),
        'pairs/opt': optimum ? ratio(t.result.length, optimum.result.length, 4) : '-',
        'mean gap': r1(s.mean),
        'p95 gap': s.p95,
        'gap/greedy': ratio(s.mean, gStats.mean),
        'mean wait s': r1(s.wait),
        'total wait/greedy': ratio(s.totalWait, gStats.totalWait, 5),
        'same-region %': r1(s.same),
        'lex vs opt': lex,
      });
    };
    add('shipped', shipped);
    add('greedy', greedy);
    if (optimum) add('optimum (blossom)', optimum);
  }
  console.log(
    `matcher bench: ratings ~N(1500,300), regions EU/NA/ASIA/SA + ~10% null, waits U(0,300 s), ` +
      `policy ±100 +25/10 s max 500, region fallback 30 s; optimum only up to ${optimumMaxSize} players (O(n^3))`,
  );
  console.table(rows);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  runMatcherBench().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
