import { GLICKO2_SETTINGS, rateGame } from './glicko2';

const newcomer = { rating: GLICKO2_SETTINGS.rating, deviation: GLICKO2_SETTINGS.rd, volatility: GLICKO2_SETTINGS.vol };

describe('rateGame (Glicko-2 via the glicko2 package, one game per rating period)', () => {
  it('moves two newcomers symmetrically after a decisive game', () => {
    const { white, black } = rateGame(newcomer, newcomer, 1);
    expect(white.rating).toBeCloseTo(1662.31, 2);
    expect(black.rating).toBeCloseTo(1337.69, 2);
    expect(white.deviation).toBeCloseTo(290.32, 2);
    expect(black.deviation).toBeCloseTo(290.32, 2);
    expect(white.volatility).toBeCloseTo(0.06, 4);
  });

  it('keeps equals level on a draw and only shrinks their deviation', () => {
    const { white, black } = rateGame(newcomer, newcomer, 0.5);
    expect(white.rating).toBeCloseTo(1500, 9);
    expect(black.rating).toBeCloseTo(1500, 9);
    expect(white.deviation).toBeLessThan(350);
  });

  it('rewards an upset more than an expected win', () => {
    const strong = { rating: 1900, deviation: 60, volatility: 0.06 };
    const weak = { rating: 1500, deviation: 60, volatility: 0.06 };
    const expected = rateGame(strong, weak, 1).white.rating - strong.rating;
    const upset = rateGame(weak, strong, 1).white.rating - weak.rating;
    expect(upset).toBeGreaterThan(expected);
    expect(expected).toBeGreaterThan(0);
  });
});
