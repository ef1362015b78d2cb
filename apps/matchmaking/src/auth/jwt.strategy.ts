import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'crypto';
import { Request } from 'express';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '@app/config';
import { bearerToken, queryToken } from './bearer';
import { TENANT_ID_PATTERN, USER_ID_PATTERN } from './identifiers';
import { DEFAULT_TENANT, Principal } from './principal';

/**
 * Browsers cannot set headers on EventSource, so only the event stream takes ?access_token=. Not
 * passport-jwt's extractor: its unanchored pattern took ~300 ms on a 15 KB header without spaces.
 */
function extractToken(req: Request): string | null {
  if (req.headers.authorization !== undefined) return bearerToken(req.headers.authorization);
  return req.method === 'GET' && req.path.endsWith('/events') ? queryToken(req) : null;
}

interface Claims {
  sub?: unknown;
  exp?: unknown;
  tenant_id?: unknown;
  username?: unknown;
  preferred_username?: unknown;
  roles?: unknown;
}

export function principalFromClaims(claims: Claims): Principal {
  const fail = (why: string): never => {
    throw new UnauthorizedException(`token ${why}`);
  };
  if (typeof claims.sub !== 'string' || !USER_ID_PATTERN.test(claims.sub)) fail('subject must be 1-64 characters');
  if (typeof claims.exp !== 'number') fail('must carry an expiry');
  const tenant = claims.tenant_id ?? DEFAULT_TENANT;
  if (typeof tenant !== 'string' || !TENANT_ID_PATTERN.test(tenant)) fail('tenant_id is malformed');
  const roles = claims.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) fail('roles must be a list of strings');
  const name = claims.username ?? claims.preferred_username ?? null;
  return {
    kind: 'user',
    userId: claims.sub as string,
    tenantId: tenant as string,
    username: typeof name === 'string' ? name.slice(0, 64) : null,
    roles: roles as string[],
  };
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(config: AppConfig) {
    super({
      jwtFromRequest: extractToken,
      // A key object, not the string: jsonwebtoken otherwise tries (and fails) to parse the string as
      // a public key on every verify, which measured ~50× slower (740 µs vs 14 µs per token).
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret)) as unknown as string,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
    });
  }

  validate(claims: Claims): Principal {
    return principalFromClaims(claims);
  }
}
