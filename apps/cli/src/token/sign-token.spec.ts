import { JwtService } from '@nestjs/jwt';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '@app/config';
import { principalFromClaims } from '../../../matchmaking/src/auth/jwt.strategy';
import { parseTtl, signingConfig, signToken, TokenError } from './sign-token';

const SECRET = 'a-secret-of-sixteen-chars';
const request = { userId: 'alice', roles: [], ttlSeconds: 60 };

describe('signToken', () => {
  it('signs with JWT_SECRET and carries the claims asked for, as the service reads them', () => {
    const token = signToken(loadConfig({ JWT_SECRET: SECRET }), {
      userId: 'alice',
      tenantId: 'acme',
      username: 'Alice',
      roles: ['admin', 'operator'],
      ttlSeconds: 600,
    });
    const claims = new JwtService().verify(token, { secret: SECRET, algorithms: ['HS256'] });
    expect(claims.exp - claims.iat).toBe(600);
    expect(principalFromClaims(claims)).toEqual({
      kind: 'user',
      userId: 'alice',
      tenantId: 'acme',
      username: 'Alice',
      roles: ['admin', 'operator'],
    });
  });

  it('adds the issuer and audience the service checks when they are configured', () => {
    const config = loadConfig({ JWT_SECRET: SECRET, JWT_ISSUER: 'auth.example', JWT_AUDIENCE: 'mm' });
    const token = signToken(config, request);
    expect(
      new JwtService().verify(token, { secret: SECRET, issuer: 'auth.example', audience: 'mm', algorithms: ['HS256'] }),
    ).toMatchObject({ sub: 'alice', iss: 'auth.example', aud: 'mm' });
  });

  it('refuses user and tenant ids the service would refuse', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(() => signToken(config, { ...request, userId: 'x'.repeat(65) })).toThrow(/user_id/);
    expect(() => signToken(config, { ...request, tenantId: 'a/b' })).toThrow(/--tenant/);
  });
});

describe('signingConfig', () => {
  it('uses the development key under NODE_ENV=development only', () => {
    expect(signingConfig({ NODE_ENV: 'development' }).jwt.secret).toBe(DEVELOPMENT_JWT_SECRET);
    expect(signingConfig({ NODE_ENV: 'development', JWT_SECRET: SECRET }).jwt.secret).toBe(SECRET);
    for (const env of [{}, { NODE_ENV: 'production' }, { NODE_ENV: 'test' }]) {
      expect(() => signingConfig(env)).toThrow(TokenError);
      expect(() => signingConfig(env)).toThrow(/only under NODE_ENV=development/);
    }
  });

  it("passes the config's own complaint on", () => {
    expect(() => signingConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET.*16 characters/);
  });
});

describe('parseTtl', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604800],
  ])('%s is %i seconds', (ttl, seconds) => expect(parseTtl(ttl)).toBe(seconds));

  it.each(['0', '1y', '-1h', 'h', ''])('refuses %j', (ttl) => expect(() => parseTtl(ttl)).toThrow(/--ttl/));
});
