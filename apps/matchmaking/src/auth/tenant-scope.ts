import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DEFAULT_TENANT, Principal } from './principal';
import { invalid } from '../common/problem';

const TENANT = /^[A-Za-z0-9._-]{1,64}$/;

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
  if (typeof queryTenant !== 'string' || !TENANT.test(queryTenant)) throw invalid('tenant_id', 'must be 1-64 letters, digits, ., _ or -');
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
