import { playerBuilder, TEST_POLICY } from '../testing';
import { prepare } from './prepared';
import { applyMove, repair } from './repair';
import { MatchPolicy, WaitingPlayer } from './types';

const NOW = 20_000_000;
const p = playerBuilder(NOW);
const policy: MatchPolicy = TEST_POLICY;

/** Runs repair from the given pairs (by id); checks partners are mutual; returns the pairs as sorted "x-y" ids. */
function repaired(players: WaitingPlayer[], pairs: Array<[string, string]>): string[] {
  const P = prepare(players, NOW, policy);
  const rank = (id: string): number => P.players.findIndex((x) => x.id === id);
  const partner = new Int32Array(P.n).fill(-1);
  for (const [a, b] of pairs) {
    partner[rank(a)] = rank(b);
    partner[rank(b)] = rank(a);
  }
  repair(P, partner);
  for (let k = 0; k < P.n; k++) if (partner[k] >= 0) expect(partner[partner[k]]).toBe(k);
  const out: string[] = [];
  for (let k = 0; k < P.n; k++)
    if (partner[k] > k) out.push([P.players[k].id, P.players[partner[k]].id].sort().join('-'));
  return out.sort();
}

describe('repair', () => {
  it('pairs two unpaired allowed players', () => {
    expect(repaired([p('u', 1500, 5000), p('x', 1520, 1000)], [])).toEqual(['u-x']);
  });

  it('swaps in the longer waiter when no augmenting path exists (the old partner is left out)', () => {
    // u (20 s) takes x from y (1 s): +19 s of paired wait; y has no other unpaired partner
    const players = [p('u', 1500, 20_000), p('x', 1550, 5000), p('y', 1600, 1000)];
    expect(repaired(players, [['x', 'y']])).toEqual(['u-x']);
  });

  it('takes the length-3 augmenting path (u–x, y–v replaces x–y) for one more pair', () => {
    // v is out of u's range (gap 200) but within y's (gap 100)
    const players = [p('u', 1500, 5000), p('x', 1550, 5000), p('y', 1600, 5000), p('v', 1700, 5000)];
    expect(repaired(players, [['x', 'y']])).toEqual(['u-x', 'v-y']);
  });

  it('leaves a matching alone when no move is a strict gain', () => {
    // c is the newest: taking a's or b's place would lower the paired wait
    const players = [p('a', 1500, 10_000), p('b', 1510, 10_000), p('c', 1520, 1000)];
    expect(repaired(players, [['a', 'b']])).toEqual(['a-b']);
  });
});

describe('applyMove', () => {
  const gain: [number, number, number, number] = [0, 0, 0, 0];
  it.each`
    kind         | move                                     | before              | after
    ${'pair'}    | ${{ kind: 'pair', x: 1, gain }}          | ${[-1, -1, -1, -1]} | ${[1, 0, -1, -1]}
    ${'swap'}    | ${{ kind: 'swap', x: 1, gain }}          | ${[-1, 2, 1, -1]}   | ${[1, 0, -1, -1]}
    ${'augment'} | ${{ kind: 'augment', x: 1, v: 3, gain }} | ${[-1, 2, 1, -1]}   | ${[1, 0, 3, 2]}
  `('$kind: u = 0 takes x = 1', ({ move, before, after }) => {
    const partner = Int32Array.from(before);
    applyMove(partner, 0, move);
    expect(Array.from(partner)).toEqual(after);
  });
});
