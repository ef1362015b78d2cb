import { randomBytes } from 'crypto';

/** Opaque, unguessable ids with a readable kind prefix (q_, m_, c_). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
