import { formatCategory, isTeamFormat, teamSize } from './format';
import { parsePoolKey, poolKey } from './pool';

describe('formats', () => {
  it('reads NvN with 1 ≤ N ≤ 5 and refuses the rest', () => {
    expect(teamSize('1v1')).toBe(1);
    expect(teamSize('2v2')).toBe(2);
    expect(teamSize('5v5')).toBe(5);
    for (const bad of ['6v6', '2v3', '0v0', '2v2 ', 'v2', '22v22', '']) expect(teamSize(bad)).toBeNull();
  });

  it('rates team formats in team_<category> and 1v1 in the category itself', () => {
    expect(formatCategory('blitz', '2v2')).toBe('team_blitz');
    expect(formatCategory('chess960', '3v3')).toBe('team_chess960');
    expect(formatCategory('blitz', '1v1')).toBe('blitz');
    expect(isTeamFormat('1v1')).toBe(false);
  });

  it('appends the format to a team pool key only, and parses both back', () => {
    const tc = { minutes: 3, increment: 0 };
    expect(poolKey('standard', tc, 'rated')).toBe('standard_3+0_rated');
    expect(poolKey('standard', tc, 'rated', '1v1')).toBe('standard_3+0_rated');
    expect(poolKey('standard', tc, 'rated', '2v2')).toBe('standard_3+0_rated_2v2');
    expect(parsePoolKey('standard_3+0_rated_2v2')).toEqual({
      variant: 'standard',
      timeControl: tc,
      mode: 'rated',
      format: '2v2',
    });
    expect(parsePoolKey('standard_3+0_rated')?.format).toBe('1v1');
  });
});
