import { Injectable, PipeTransform } from '@nestjs/common';
import { invalid } from '../common/problem';

/** User ids as the auth service issues them (the JWT `sub`): 1–64 of A-Z a-z 0-9 . _ @ | - */
export const USER_ID_PATTERN = /^[A-Za-z0-9._@|-]{1,64}$/;
export const USER_ID_RULE = 'must be 1-64 letters, digits or . _ @ | -';

/** Tenant ids (the JWT `tenant_id`, `?tenant_id=`): 1–64 of A-Z a-z 0-9 . _ - */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const TENANT_ID_RULE = 'must be 1-64 letters, digits or . _ -';

/** A `user_id` path parameter: a malformed one is a 400 naming the field. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!USER_ID_PATTERN.test(value)) throw invalid('user_id', USER_ID_RULE);
    return value;
  }
}
