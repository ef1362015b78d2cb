/*
 * The matchers' index sorts. Every order they need is "by a numeric key, ties by a distinct integer rank",
 * and at 100k entries the way that sort runs was a fifth of the team matcher's preparation: a stable
 * LSD radix sort does it in a few linear passes when the keys are integers of a modest range (ratings,
 * whole-millisecond enqueue times, mean ratings × 60), a comparator sort otherwise.
 */

const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;
/** key ranges up to 2^32 go to the radix sort (at most three passes) */
const RADIX_MAX_RANGE = 2 ** 32;

/**
 * Indices 0..n−1 sorted by `key` ascending, ties by `tie` ascending (tie values must be distinct integers
 * in [0, n)).
 */
export function sortByKeyThenTie(key: Float64Array, tie: Int32Array): Int32Array {
  const n = key.length;
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const k = key[i];
    if (k < min) min = k;
    if (k > max) max = k;
    if (!Number.isInteger(k)) integral = false;
  }
  if (n > 0 && integral && max - min < RADIX_MAX_RANGE) return radixSort(key, tie, min, max - min);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  out.sort((x, y) => key[x] - key[y] || tie[x] - tie[y]);
  return out;
}

/**
 * Stable LSD radix sort, 11 bits a pass, of the indices taken in tie order: stability keeps that order
 * among equal keys. The key digits travel with the indices, so each pass reads sequentially.
 */
function radixSort(key: Float64Array, tie: Int32Array, min: number, range: number): Int32Array {
  const n = key.length;
  let idx = new Int32Array(n);
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[tie[i]] = i;
  for (let q = 0; q < n; q++) keys[q] = key[idx[q]] - min;
  let idxOut = new Int32Array(n);
  let keysOut = new Uint32Array(n);
  const count = new Int32Array(DIGITS);
  const bits = range === 0 ? 0 : 32 - Math.clz32(range);
  for (let shift = 0; shift < bits; shift += DIGIT_BITS) {
    count.fill(0);
    for (let q = 0; q < n; q++) count[(keys[q] >>> shift) & (DIGITS - 1)]++;
    for (let d = 0, at = 0; d < DIGITS; d++) {
      const c = count[d];
      count[d] = at;
      at += c;
    }
    for (let q = 0; q < n; q++) {
      const at = count[(keys[q] >>> shift) & (DIGITS - 1)]++;
      idxOut[at] = idx[q];
      keysOut[at] = keys[q];
    }
    [idx, idxOut] = [idxOut, idx];
    [keys, keysOut] = [keysOut, keys];
  }
  return idx;
}
