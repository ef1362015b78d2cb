import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from './identifiers';
import { DEFAULT_TENANT, Principal } from './principal';
import { invalid } from '../common/problem';

/**
 * Which tenants an internal call may see: an admin only its own; the API key all of them, or the one
 * named by `?tenant_id=`. `all: null` means every tenant.
 */
export interface TenantScope {
  tenantId: string | null;
}

export function scopeOf(principal: Principal, queryTenant: unknown): TenantScope {
  if (principal.kind === 'user') return { tenantId: principal.tenantId };
  if (queryTenant === undefined || queryTenant === '') return { tenantId: null };
  if (typeof queryTenant !== 'string' || !TENANT_ID_PATTERN.test(queryTenant))
    throw invalid('tenant_id', TENANT_ID_RULE);
  return { tenantId: queryTenant };
}

export const Scope = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantScope => {
  const req = ctx.switchToHttp().getRequest();
  return scopeOf(req.user, req.query?.tenant_id);
});

/** For writes that need exactly one tenant: the API key without `?tenant_id=` means the default tenant. */
export const SingleTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest();
  return scopeOf(req.user, req.query?.tenant_id).tenantId ?? DEFAULT_TENANT;
});
