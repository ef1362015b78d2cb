import { estimatedDurationSeconds, formatTimeControl, maxGameDurationSeconds, parseTimeControl } from './time-control';

describe('time controls', () => {
  it.each([
    ['3+2', { minutes: 3, increment: 2 }],
    ['0+1', { minutes: 0, increment: 1 }],
    ['1+0', { minutes: 1, increment: 0 }],
    ['180+180', { minutes: 180, increment: 180 }],
  ])('parses %s', (text, tc) => {
    expect(parseTimeControl(text)).toEqual(tc);
    expect(formatTimeControl(tc)).toBe(text);
  });

  it.each([
    ['03+2', '3+2'],
    ['3+002', '3+2'],
    ['010+00', '10+0'],
  ])('canonicalises %s as %s', (text, canonical) => {
    expect(formatTimeControl(parseTimeControl(text)!)).toBe(canonical);
  });

  it.each([
    '0+0',
    '181+0',
    '0+181',
    '5',
    '5+',
    '+5',
    '5+0 ',
    ' 5+0',
    '5-0',
    '5+0+1',
    '-1+0',
    '1.5+0',
    '1000+0',
    '',
    null,
    5,
    {},
  ])('refuses %p', (text) => expect(parseTimeControl(text)).toBeNull());

  it('estimates duration as 60·M + 40·I and allows twice that plus a minute', () => {
    expect(estimatedDurationSeconds({ minutes: 5, increment: 3 })).toBe(420);
    expect(maxGameDurationSeconds({ minutes: 5, increment: 3 })).toBe(900);
  });
});
