import { playerBuilder, TEST_POLICY } from '../testing';
import { cooldownFromPairs, inCooldown, isAllowedPair, MatchPolicy } from './types';

const NOW = 10_000_000;
const policy: MatchPolicy = TEST_POLICY;

const p = playerBuilder(NOW);

describe('isAllowedPair', () => {
  it.each`
    name                                               | a                              | b                              | expected
    ${'gap equal to both windows'}                     | ${p('a', 1500, 0)}             | ${p('b', 1600, 0)}             | ${true}
    ${'gap one over the window'}                       | ${p('a', 1500, 0)}             | ${p('b', 1601, 0)}             | ${false}
    ${'mutual: a wide (200), b narrow (100), gap 150'} | ${p('a', 1500, 40_000)}        | ${p('b', 1650, 0)}             | ${false}
    ${'mutual: same, order swapped'}                   | ${p('a', 1650, 0)}             | ${p('b', 1500, 40_000)}        | ${false}
    ${'mutual: both wide enough'}                      | ${p('a', 1500, 40_000)}        | ${p('b', 1650, 20_000)}        | ${true}
    ${'step boundary: 9.999 s still 100'}              | ${p('a', 1500, 10_000)}        | ${p('b', 1625, 9_999)}         | ${false}
    ${'step boundary: exactly 10 s gives 125'}         | ${p('a', 1500, 10_000)}        | ${p('b', 1625, 10_000)}        | ${true}
    ${'step boundary: 20 s gives 150'}                 | ${p('a', 1500, 20_000)}        | ${p('b', 1650, 20_000)}        | ${true}
    ${'step boundary: 19.999 s gives 125'}             | ${p('a', 1500, 19_999)}        | ${p('b', 1650, 20_000)}        | ${false}
    ${'window max: capped at 200'}                     | ${p('a', 1500, 1_000_000)}     | ${p('b', 1700, 1_000_000)}     | ${true}
    ${'window max: 201 never allowed'}                 | ${p('a', 1500, 1_000_000)}     | ${p('b', 1701, 1_000_000)}     | ${false}
    ${'region same'}                                   | ${p('a', 1500, 0, 'EU')}       | ${p('b', 1500, 0, 'EU')}       | ${true}
    ${'region different, both young'}                  | ${p('a', 1500, 0, 'EU')}       | ${p('b', 1500, 0, 'NA')}       | ${false}
    ${'region null on a'}                              | ${p('a', 1500, 0, null)}       | ${p('b', 1500, 0, 'NA')}       | ${true}
    ${'region null on b'}                              | ${p('a', 1500, 0, 'EU')}       | ${p('b', 1500, 0, null)}       | ${true}
    ${'region null on both'}                           | ${p('a', 1500, 0, null)}       | ${p('b', 1500, 0, null)}       | ${true}
    ${'region fallback reached by a (exactly 30 s)'}   | ${p('a', 1500, 30_000, 'EU')}  | ${p('b', 1500, 0, 'NA')}       | ${true}
    ${'region fallback reached by b'}                  | ${p('a', 1500, 0, 'EU')}       | ${p('b', 1500, 30_000, 'NA')}  | ${true}
    ${'region fallback not yet (29.999 s)'}            | ${p('a', 1500, 29_999, 'EU')}  | ${p('b', 1500, 29_999, 'NA')}  | ${false}
    ${'same user, different entries'}                  | ${p('a', 1500, 0, 'EU', 'u1')} | ${p('b', 1500, 0, 'EU', 'u1')} | ${false}
    ${'same entry'}                                    | ${p('a', 1500, 0)}             | ${p('a', 1500, 0)}             | ${false}
  `('$name → $expected', ({ a, b, expected }) => {
    expect(isAllowedPair(a, b, NOW, policy)).toBe(expected);
    expect(isAllowedPair(b, a, NOW, policy)).toBe(expected);
  });

  it('respects the cooldown set in both orders', () => {
    const a = p('a', 1500, 0, 'EU', 'alice');
    const b = p('b', 1500, 0, 'EU', 'bob');
    const cooldown = cooldownFromPairs([['bob', 'alice']]);
    expect(isAllowedPair(a, b, NOW, { ...policy, cooldown })).toBe(false);
    expect(isAllowedPair(b, a, NOW, { ...policy, cooldown })).toBe(false);
    expect(isAllowedPair(a, b, NOW, { ...policy, cooldown: cooldownFromPairs([['alice', 'carol']]) })).toBe(true);
  });
});

describe('cooldown map', () => {
  it.each`
    x         | y
    ${'a'}    | ${'b'}
    ${'a:b'}  | ${'c'}
    ${''}     | ${'x'}
    ${'7:ab'} | ${'7'}
  `('blocks the pair in both orders, whatever the ids contain ($x, $y)', ({ x, y }) => {
    const cooldown = cooldownFromPairs([[x, y]]);
    expect(inCooldown(cooldown, x, y)).toBe(true);
    expect(inCooldown(cooldown, y, x)).toBe(true);
    expect(cooldown.get(x)).toEqual(new Set([y]));
    expect(cooldown.get(y)).toEqual(new Set([x]));
  });

  it('blocks only the listed pairs', () => {
    const cooldown = cooldownFromPairs([
      ['a:b', 'c'],
      ['a', 'd'],
    ]);
    expect(inCooldown(cooldown, 'a', 'b:c')).toBe(false);
    expect(inCooldown(cooldown, 'a', 'c')).toBe(false);
    expect(inCooldown(cooldown, 'd', 'a')).toBe(true);
    expect(inCooldown(undefined, 'a', 'd')).toBe(false);
  });

  it('a hand-built one-sided map blocks both orders too', () => {
    const a = p('a', 1500, 0, 'EU', 'alice');
    const b = p('b', 1500, 0, 'EU', 'bob');
    const cooldown = new Map([['bob', new Set(['alice'])]]);
    expect(isAllowedPair(a, b, NOW, { ...policy, cooldown })).toBe(false);
    expect(isAllowedPair(b, a, NOW, { ...policy, cooldown })).toBe(false);
  });
});
