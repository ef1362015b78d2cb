import { Glicko2 } from 'glicko2';
import { ageRating, GLICKO2_SETTINGS, idlePeriods, rateGame } from './glicko2';

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

describe('ageRating (inactivity, Glicko-2 step 6 by the package)', () => {
  const active = { rating: 1712, deviation: 80, volatility: 0.06 };
  const libraryAfter = (periods: number) => {
    const system = new Glicko2(GLICKO2_SETTINGS);
    const p = system.makePlayer(active.rating, active.deviation, active.volatility);
    for (let i = 0; i < periods; i++) system.updateRatings([]);
    return p.getRd();
  };

  it.each([0, 1, 10])('grows the deviation over %i idle periods as the library computes it', (periods) => {
    const aged = ageRating(active, periods);
    expect(aged.deviation).toBeCloseTo(libraryAfter(periods), 9);
    expect(aged.rating).toBe(active.rating);
    expect(aged.volatility).toBe(active.volatility);
  });

  it('grows with each period and never past a newcomer’s deviation', () => {
    expect(ageRating(active, 1).deviation).toBeGreaterThan(active.deviation);
    expect(ageRating(active, 10).deviation).toBeGreaterThan(ageRating(active, 1).deviation);
    expect(ageRating(active, 100_000).deviation).toBe(GLICKO2_SETTINGS.rd);
  });

  it('counts whole periods only', () => {
    const day = 86_400_000;
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(idlePeriods(t0, new Date(t0.getTime() + 7 * day - 1), 7)).toBe(0);
    expect(idlePeriods(t0, new Date(t0.getTime() + 7 * day), 7)).toBe(1);
    expect(idlePeriods(t0, new Date(t0.getTime() + 71 * day), 7)).toBe(10);
    expect(idlePeriods(t0, new Date(t0.getTime() - day), 7)).toBe(0);
  });
});
