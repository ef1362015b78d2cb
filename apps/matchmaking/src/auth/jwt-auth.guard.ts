import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Request, Response } from 'express';
import passport from 'passport';
import { isOversizedAuthorization } from './bearer';

/** What AuthGuard('jwt') passes to passport (its defaults and PassportModule.register's), built once. */
const AUTHENTICATE_OPTIONS = Object.freeze({ session: false, property: 'user' });

/**
 * A valid player token (any role): the JwtStrategy (passport-jwt, registered with passport by
 * @nestjs/passport) decides, as AuthGuard('jwt') would have it. canActivate calls
 * `passport.authenticate` itself with options built once, instead of AuthGuard's per-request merge of
 * three option objects, an extra await and a context closure: it runs on every authenticated request.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err || !user) {
      if (err instanceof UnauthorizedException) throw err;
      const reason = info instanceof Error ? info.message : 'missing or invalid bearer token';
      throw new UnauthorizedException(reason);
    }
    return user;
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (isOversizedAuthorization(req)) throw new UnauthorizedException('the authorization header is too long');
    return new Promise<boolean>((resolve, reject) => {
      const fail = (error: unknown) => reject(error instanceof Error ? error : new Error(String(error)));
      const verdict = (err: unknown, user: unknown, info: unknown) => {
        try {
          req.authInfo = info as Express.AuthInfo;
          req.user = this.handleRequest(err, user as Express.User, info);
          resolve(true);
        } catch (error) {
          fail(error);
        }
      };
      const next = (err?: unknown) => (err ? fail(err) : resolve(true));
      passport.authenticate('jwt', AUTHENTICATE_OPTIONS, verdict)(req, http.getResponse<Response>(), next);
    });
  }
}
