import { createParamDecorator, ExecutionContext } from '@nestjs/common';

export const DEFAULT_TENANT = 'default';

/** Who is calling: a player (or admin) from a JWT, or a system caller with the internal API key. */
export interface Principal {
  kind: 'user' | 'system';
  userId: string | null;
  tenantId: string | null;
  username: string | null;
  roles: string[];
}

export const isAdmin = (p: Principal) => p.kind === 'user' && p.roles.includes('admin');
/** Operators run the service for every tenant (the job dashboard); a tenant's admin is not one. */
export const isOperator = (p: Principal) => p.kind === 'user' && p.roles.includes('operator');

/** A signed-in player: userId and tenantId are always set on the routes guarded by JwtAuthGuard. */
export interface Player {
  userId: string;
  tenantId: string;
  username: string | null;
}

export const CurrentPlayer = createParamDecorator((_: unknown, ctx: ExecutionContext): Player => {
  const p: Principal = ctx.switchToHttp().getRequest().user;
  return { userId: p.userId!, tenantId: p.tenantId!, username: p.username };
});
