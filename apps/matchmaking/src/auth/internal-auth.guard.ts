import { ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Request } from 'express';
import { AppConfig } from '@app/config';
import { apiKeyMatches } from './api-key';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { isAdmin, Principal } from './principal';

/** `/internal/*`: the internal API key (every tenant) or an admin token (its own tenant). */
@Injectable()
export class InternalAuthGuard extends JwtAuthGuard {
  constructor(
    strategy: JwtStrategy,
    private readonly config: AppConfig,
  ) {
    super(strategy);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    const key = req.headers['x-api-key'];
    if (key !== undefined) {
      if (typeof key !== 'string' || !apiKeyMatches(this.config.internalApiKey, key))
        throw new UnauthorizedException('invalid API key');
      req.user = { kind: 'system', userId: null, tenantId: null, username: null, roles: [] };
      return true;
    }
    await super.canActivate(context);
    if (!isAdmin(req.user!)) throw new ForbiddenException('the admin role is required');
    return true;
  }
}
