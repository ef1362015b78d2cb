import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Request } from 'express';
import { isOversizedAuthorization } from './bearer';
import { JwtStrategy } from './jwt.strategy';

/** What passport's authenticate passes to a strategy for AuthGuard('jwt') with our module options. */
const AUTHENTICATE_OPTIONS = Object.freeze({ session: false, property: 'user' });

type Settle = (err: unknown, user: unknown, info: unknown) => void;

/**
 * One attempt of the strategy, as passport's authenticate middleware makes it for one strategy and a
 * callback: the strategy's instance as prototype, with its outcomes wired to `settle`.
 */
function attemptOf(strategy: JwtStrategy, settle: Settle): JwtStrategy {
  const attempt = Object.create(strategy) as JwtStrategy & Record<string, unknown>;
  attempt.success = (user: unknown, info: unknown) => settle(null, user, info);
  attempt.fail = (challenge: unknown) => settle(null, false, typeof challenge === 'number' ? undefined : challenge);
  attempt.error = (err: unknown) => settle(err, false, undefined);
  attempt.pass = attempt.redirect = () => settle(null, false, undefined);
  return attempt;
}

/**
 * A valid player token (any role), decided by the JwtStrategy (passport-jwt, registered with passport
 * by @nestjs/passport). The guard runs the strategy's `authenticate` itself, as passport's authenticate
 * middleware would with a callback, without the middleware's per-request work for sessions and logins
 * we don't use (six properties added to every request, which cost ~40 µs a request in a CPU profile).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly strategy: JwtStrategy) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (isOversizedAuthorization(req)) throw new UnauthorizedException('the authorization header is too long');
    return new Promise<boolean>((resolve, reject) => {
      const settle: Settle = (err, user, info) => {
        try {
          req.user = verdict(err, user, info);
          resolve(true);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      attemptOf(this.strategy, settle).authenticate(req, AUTHENTICATE_OPTIONS);
    });
  }
}

/** The principal, or a 401 that says why (passport-jwt's reason when it gave one). */
function verdict(err: unknown, user: unknown, info: unknown): Express.User {
  if (err || !user) {
    if (err instanceof UnauthorizedException) throw err;
    const reason = info instanceof Error ? info.message : 'missing or invalid bearer token';
    throw new UnauthorizedException(reason);
  }
  return user;
}
