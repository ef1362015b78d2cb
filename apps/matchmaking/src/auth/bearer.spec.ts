import { bearerToken, MAX_TOKEN_HEADER_LENGTH } from './bearer';

describe('bearerToken', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln-bmF0_dXJl';

  it.each([
    [`Bearer ${JWT}`, JWT],
    [`bearer ${JWT}`, JWT],
    [`Bearer  ${JWT} `, JWT],
    ['Bearer abc==', 'abc=='],
  ])('reads %s', (header, token) => expect(bearerToken(header)).toBe(token));

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    `Basic ${JWT}`,
    `Bearer ${JWT} extra`,
    `Bearer\t${JWT}`,
    `xBearer ${JWT}`,
    `Bearer ${'a'.repeat(MAX_TOKEN_HEADER_LENGTH)}`,
  ])('refuses %p', (header) => expect(bearerToken(header)).toBeNull());
});
