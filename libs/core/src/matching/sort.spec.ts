import { seededRandom, shuffled } from '../testing';
import { sortByKeyThenTie } from './sort';

/** The order the matchers mean: key ascending, ties by the tie rank. */
function reference(key: Float64Array, tie: Int32Array): number[] {
  return [...key.keys()].sort((x, y) => key[x] - key[y] || tie[x] - tie[y]);
}

function pool(n: number, seed: number, draw: (random: () => number) => number): [Float64Array, Int32Array] {
  const random = seededRandom(seed);
  const key = Float64Array.from({ length: n }, () => draw(random));
  const tie = Int32Array.from(shuffled([...Array(n).keys()], random));
  return [key, tie];
}

describe('sortByKeyThenTie', () => {
  it.each`
    name                                                   | draw
    ${'ratings: integers in a small range, many ties'}     | ${(r: () => number) => 1200 + Math.floor(r() * 600)}
    ${'enqueue times: integer ms, 5 minutes wide'}         | ${(r: () => number) => 1_700_000_000_000 - Math.floor(r() * 300_000)}
    ${'one key for all'}                                   | ${() => 7}
    ${'negative integers'}                                 | ${(r: () => number) => -Math.floor(r() * 5000)}
    ${'integers wider than 2^32 (comparator path)'}        | ${(r: () => number) => Math.floor(r() * 2 ** 40)}
    ${'fractional keys (comparator path)'}                 | ${(r: () => number) => Math.round(r() * 1000) / 8}
    ${'range exactly at a digit boundary (2^22 − 1 wide)'} | ${(r: () => number) => (r() < 0.5 ? 0 : 2 ** 22 - 1)}
  `('$name: the same order as a comparator sort', ({ draw }: { draw: (r: () => number) => number }) => {
    for (const [n, seed] of [
      [1, 1],
      [2, 2],
      [50, 3],
      [5000, 4],
    ]) {
      const [key, tie] = pool(n, seed, draw);
      expect([...sortByKeyThenTie(key, tie)]).toEqual(reference(key, tie));
    }
  });

  it('an empty input gives an empty order', () => {
    expect(sortByKeyThenTie(new Float64Array(0), new Int32Array(0))).toHaveLength(0);
  });
});
