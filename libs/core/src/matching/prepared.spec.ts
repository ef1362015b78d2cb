import { playerBuilder, seededRandom, TEST_POLICY } from '../testing';
import { prepare, unpairedLongestWaitFirst } from './prepared';

const NOW = 1_800_000_000_000;

describe('unpairedLongestWaitFirst', () => {
  it.each`
    name                                                    | waitOf
    ${'waits spread out (fractional ms)'}                   | ${(r: () => number) => r() * 300_000}
    ${'whole seconds: long runs of equal waits'}            | ${(r: () => number) => 1000 * Math.floor(r() * 5)}
    ${'everybody enqueued at once'}                         | ${() => 60_000}
    ${'some enqueued "in the future" (clock skew): wait 0'} | ${(r: () => number) => (r() < 0.3 ? -r() * 5000 : r() * 20_000)}
  `(
    '$name: the unpaired by wait descending, ties by rank, as a comparator sort orders them',
    ({ waitOf }: { waitOf: (r: () => number) => number }) => {
      for (const [n, seed] of [
        [1, 1],
        [2, 2],
        [60, 3],
        [5000, 4],
      ]) {
        const random = seededRandom(seed);
        const p = playerBuilder(NOW);
        const players = Array.from({ length: n }, (_, i) =>
          p(`q${Math.floor(random() * 1e9)}-${i}`, 1400 + Math.floor(random() * 300), waitOf(random)),
        );
        const P = prepare(players, NOW, TEST_POLICY);
        const partner = new Int32Array(n).fill(-1);
        for (let k = 0; k + 1 < n; k += 2) if (random() < 0.4) [partner[k], partner[k + 1]] = [k + 1, k];
        const unpaired = [...partner.keys()].filter((k) => partner[k] < 0);
        const expected = unpaired.sort((x, y) => P.wait[y] - P.wait[x] || x - y);
        expect([...unpairedLongestWaitFirst(P, partner)]).toEqual(expected);
      }
    },
  );
});
