import { knownCategories, ratingCategory, speedCategory } from './category';
import { parseTimeControl } from './time-control';
import { parsePoolKey, poolKey } from './pool';
import { ratingWindow } from './rating-window';

const tc = (s: string) => parseTimeControl(s)!;

describe('rating categories', () => {
  it.each([
    ['0+1', 'bullet'], // 40 s
    ['2+0', 'bullet'], // 120 s
    ['2+1', 'bullet'], // 160 s
    ['3+0', 'blitz'], // 180 s: the boundary belongs to blitz
    ['5+0', 'blitz'], // 300 s
    ['7+1', 'blitz'], // 460 s
    ['8+0', 'rapid'], // 480 s: the boundary belongs to rapid
    ['15+10', 'rapid'], // 1300 s
    ['25+0', 'classical'], // 1500 s: the boundary belongs to classical
    ['20+15', 'classical'], // 1800 s
  ])('%s is %s', (text, expected) => expect(speedCategory(tc(text))).toBe(expected));

  it('uses the variant name outside standard chess', () => {
    expect(ratingCategory('standard', tc('3+2'))).toBe('blitz');
    expect(ratingCategory('chess960', tc('3+2'))).toBe('chess960');
    expect(knownCategories(['standard', 'chess960'])).toEqual(['bullet', 'blitz', 'rapid', 'classical', 'chess960']);
  });
});

describe('pool keys', () => {
  it('joins variant, time control and mode', () => {
    expect(poolKey('standard', tc('5+0'), 'rated')).toBe('standard_5+0_rated');
    expect(poolKey('chess960', tc('15+10'), 'casual')).toBe('chess960_15+10_casual');
  });

  it('parses back what it makes and refuses anything else', () => {
    expect(parsePoolKey('standard_5+0_rated')).toEqual({
      variant: 'standard',
      timeControl: { minutes: 5, increment: 0 },
      mode: 'rated',
      format: '1v1',
    });
    for (const bad of ['standard_5+0', 'standard_5_rated', 'x_5+0_ranked', 'standard_5+0_rated_6v6', ''])
      expect(parsePoolKey(bad)).toBeNull();
  });
});

describe('rating window', () => {
  const policy = { windowInitial: 100, windowStep: 25, windowStepSeconds: 10, windowMax: 500 };
  it.each([
    [0, 100],
    [9.99, 100],
    [10, 125],
    [19, 125],
    [20, 150],
    [159, 475],
    [160, 500],
    [10_000, 500],
    [-5, 100],
  ])('after %ss waiting is ±%s', (wait, window) => expect(ratingWindow(wait, policy)).toBe(window));
});
