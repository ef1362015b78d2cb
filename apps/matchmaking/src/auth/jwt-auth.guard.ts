import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Request } from 'express';
import { isOversizedAuthorization } from './bearer';

/** A valid player token (any role). */
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

  override canActivate(context: ExecutionContext) {
    if (isOversizedAuthorization(context.switchToHttp().getRequest<Request>()))
      throw new UnauthorizedException('the authorization header is too long');
    return super.canActivate(context);
  }
}
