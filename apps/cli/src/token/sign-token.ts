import { JwtService } from '@nestjs/jwt';
import { AppConfig, ConfigError, loadConfig } from '@app/config';
import {
  TENANT_ID_PATTERN,
  TENANT_ID_RULE,
  USER_ID_PATTERN,
  USER_ID_RULE,
} from '../../../matchmaking/src/auth/identifiers';

export interface TokenRequest {
  userId: string;
  tenantId?: string;
  username?: string;
  roles: string[];
  ttlSeconds: number;
}

/** A request the CLI cannot sign; the message says what to change. */
export class TokenError extends Error {
  constructor(
    message: string,
    /** true for a bad argument, false for a configuration that cannot sign. */
    readonly badArgument = false,
  ) {
    super(message);
  }
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `15m`, `1h`, `7d` → seconds (a bare number is seconds, not jsonwebtoken's milliseconds). */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
  const seconds = match ? Number(match[1]) * TTL_UNITS[match[2] || 's'] : 0;
  if (!seconds)
    throw new TokenError(`--ttl ${JSON.stringify(ttl)}: expected a positive duration such as 90s, 15m, 1h or 7d`, true);
  return seconds;
}

/**
 * The service's own configuration, so the key rules are the service's: JWT_SECRET when set, the fixed
 * development key only under NODE_ENV=development, and a refusal otherwise.
 */
export function signingConfig(env: Record<string, string | undefined>): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (!env.JWT_SECRET && env.NODE_ENV !== 'development') {
      throw new TokenError(
        `JWT_SECRET is not set, and the development key (the one npm run start:local uses) signs tokens only ` +
          `under NODE_ENV=development; NODE_ENV is ${env.NODE_ENV ? JSON.stringify(env.NODE_ENV) : 'unset'}.\n` +
          `  For a service started with npm run start:local: NODE_ENV=development npm run token -- alice\n` +
          `  For any other service: set JWT_SECRET to its key.`,
      );
    }
    throw new TokenError(error.message);
  }
}

/** Throws a TokenError (a bad argument) for a user or tenant id the service would refuse. */
export function checkTokenRequest(request: TokenRequest): void {
  if (!USER_ID_PATTERN.test(request.userId))
    throw new TokenError(`user_id ${JSON.stringify(request.userId)}: ${USER_ID_RULE}`, true);
  if (request.tenantId !== undefined && !TENANT_ID_PATTERN.test(request.tenantId)) {
    throw new TokenError(`--tenant ${JSON.stringify(request.tenantId)}: ${TENANT_ID_RULE}`, true);
  }
}

/** An HS256 token the service accepts: its key, and its issuer and audience when it checks them. */
export function signToken(config: AppConfig, request: TokenRequest): string {
  checkTokenRequest(request);
  const claims: Record<string, unknown> = { sub: request.userId };
  if (request.tenantId !== undefined) claims.tenant_id = request.tenantId;
  if (request.username !== undefined) claims.username = request.username;
  if (request.roles.length) claims.roles = request.roles;
  return new JwtService().sign(claims, {
    secret: config.jwt.secret,
    algorithm: 'HS256',
    expiresIn: request.ttlSeconds,
    ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
    ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
  });
}
