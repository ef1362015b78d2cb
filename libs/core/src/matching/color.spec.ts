import { chooseWhite } from './color';

const never = (): number => {
  throw new Error('random must not be used when the history decides');
};

describe('chooseWhite', () => {
  it.each`
    name                                           | a                                                    | b                                                   | expected
    ${'fewer whites gets white (a)'}               | ${{ userId: 'a', recentWhites: 1 }}                  | ${{ userId: 'b', recentWhites: 3 }}                 | ${'a'}
    ${'fewer whites gets white (b)'}               | ${{ userId: 'a', recentWhites: 4 }}                  | ${{ userId: 'b', recentWhites: 0 }}                 | ${'b'}
    ${'share: 2/10 beats 1/2 despite more whites'} | ${{ userId: 'a', recentWhites: 2, recentGames: 10 }} | ${{ userId: 'b', recentWhites: 1, recentGames: 2 }} | ${'a'}
    ${'share: 3/4 loses to 1/3'}                   | ${{ userId: 'a', recentWhites: 3, recentGames: 4 }}  | ${{ userId: 'b', recentWhites: 1, recentGames: 3 }} | ${'b'}
    ${'share: no games counts as 1/2'}             | ${{ userId: 'a', recentWhites: 0, recentGames: 0 }}  | ${{ userId: 'b', recentWhites: 3, recentGames: 4 }} | ${'a'}
  `('$name', ({ a, b, expected }) => {
    expect(chooseWhite(a, b, never)).toBe(expected);
  });

  it.each`
    name                        | a                                                   | b                                                   | r       | expected
    ${'count tie, random 0.2'}  | ${{ userId: 'a', recentWhites: 2 }}                 | ${{ userId: 'b', recentWhites: 2 }}                 | ${0.2}  | ${'a'}
    ${'count tie, random 0.5'}  | ${{ userId: 'a', recentWhites: 2 }}                 | ${{ userId: 'b', recentWhites: 2 }}                 | ${0.5}  | ${'b'}
    ${'count tie, random 0.99'} | ${{ userId: 'a', recentWhites: 0 }}                 | ${{ userId: 'b', recentWhites: 0 }}                 | ${0.99} | ${'b'}
    ${'equal share 1/2 vs 2/4'} | ${{ userId: 'a', recentWhites: 1, recentGames: 2 }} | ${{ userId: 'b', recentWhites: 2, recentGames: 4 }} | ${0.49} | ${'a'}
  `('ties use the injected random: $name', ({ a, b, r, expected }) => {
    const random = jest.fn(() => r);
    expect(chooseWhite(a, b, random)).toBe(expected);
    expect(random).toHaveBeenCalledTimes(1);
  });
});
