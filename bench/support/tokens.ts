import { createHmac } from 'crypto';
import jwt from 'jsonwebtoken';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * HS256 client tokens as the service expects them (SPEC §4): sub, exp, optional tenant_id and username.
 * Signed with node:crypto directly: jsonwebtoken.sign costs ~1 ms per token on this machine (it builds
 * a KeyObject and validates options each call), ~100x more than the HMAC, and the benches need
 * hundreds of thousands. `checkTokenSigner` proves the two agree.
 */
export function signToken(
  secret: string,
  userId: string,
  extra: Record<string, unknown> = {},
  ttlSeconds = 3600,
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = Buffer.from(
    JSON.stringify({ sub: userId, username: userId, iat: now, exp: now + ttlSeconds, ...extra }),
  ).toString('base64url');
  const input = `${HEADER}.${payload}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** Throws unless jsonwebtoken accepts our token (the service verifies with passport-jwt → jsonwebtoken). */
export function checkTokenSigner(secret: string): void {
  const claims = jwt.verify(signToken(secret, 'probe', { tenant_id: 't1' }), secret, {
    algorithms: ['HS256'],
  }) as jwt.JwtPayload;
  if (claims.sub !== 'probe' || claims.tenant_id !== 't1') throw new Error('token signer disagrees with jsonwebtoken');
}
