import { fromSkill, NEW_TEAM_RATING, rateTeamGame, TeamRating, toSkill } from './openskill';

const newcomers = (n: number): TeamRating[] => Array.from({ length: n }, () => ({ ...NEW_TEAM_RATING }));

describe('team ratings (OpenSkill on the 1500 scale)', () => {
  it('shows a newcomer as 1500 ± 350, OpenSkill’s μ 25 and σ 25/3', () => {
    expect(NEW_TEAM_RATING).toEqual({ rating: 1500, deviation: 350 });
    expect(toSkill({ rating: 1500, deviation: 350 })).toEqual({ mu: 25, sigma: 25 / 3 });
    expect(toSkill({ rating: 1542, deviation: 42 })).toEqual({ mu: 26, sigma: 1 });
    expect(fromSkill({ mu: 20, sigma: 5 })).toEqual({ rating: 1290, deviation: 210 });
  });

  it('maps both ways without loss', () => {
    for (const r of [
      { rating: 1234.5, deviation: 87.25 },
      { rating: 2100, deviation: 60 },
    ]) {
      const back = fromSkill(toSkill(r));
      expect(back.rating).toBeCloseTo(r.rating, 9);
      expect(back.deviation).toBeCloseTo(r.deviation, 9);
    }
  });

  it('raises every winner, lowers every loser and makes everyone surer', () => {
    const next = rateTeamGame(newcomers(2), newcomers(2), 'a');
    for (const p of next.a) expect(p.rating).toBeGreaterThan(1500);
    for (const p of next.b) expect(p.rating).toBeLessThan(1500);
    for (const p of [...next.a, ...next.b]) expect(p.deviation).toBeLessThan(350);
    expect(next.a[0].rating - 1500).toBeCloseTo(1500 - next.b[0].rating, 6);
    const bWins = rateTeamGame(newcomers(2), newcomers(2), 'b');
    expect(bWins.b[0].rating).toBeCloseTo(next.a[0].rating, 6);
  });

  it('moves a draw between equal teams little, and an upset more than the expected result', () => {
    const equal = [
      { rating: 1600, deviation: 80 },
      { rating: 1400, deviation: 80 },
    ];
    const draw = rateTeamGame(equal, equal, 'draw');
    for (const p of [...draw.a, ...draw.b]) expect(Math.abs(p.rating - 1500)).toBeLessThan(101);
    for (const [i, p] of draw.a.entries()) expect(Math.abs(p.rating - equal[i].rating)).toBeLessThan(1);
    const win = rateTeamGame(equal, equal, 'a');
    expect(win.a[0].rating - equal[0].rating).toBeGreaterThan(5);

    const strong = [
      { rating: 1900, deviation: 80 },
      { rating: 1900, deviation: 80 },
    ];
    const weak = [
      { rating: 1300, deviation: 80 },
      { rating: 1300, deviation: 80 },
    ];
    const expected = rateTeamGame(strong, weak, 'a');
    const upset = rateTeamGame(strong, weak, 'b');
    expect(upset.b[0].rating - 1300).toBeGreaterThan(expected.a[0].rating - 1900);
  });

  it('rates teams of any size, each player from their own rating', () => {
    const a = [
      { rating: 1700, deviation: 100 },
      { rating: 1500, deviation: 300 },
      { rating: 1300, deviation: 50 },
    ];
    const next = rateTeamGame(a, newcomers(3), 'a');
    expect(next.a).toHaveLength(3);
    expect(next.b).toHaveLength(3);
    const gains = next.a.map((p, i) => p.rating - a[i].rating);
    // The most uncertain player learns the most from the same result.
    expect(gains[1]).toBeGreaterThan(gains[0]);
    expect(gains[1]).toBeGreaterThan(gains[2]);
  });
});
