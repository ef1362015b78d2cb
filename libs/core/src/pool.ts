import { formatTimeControl, TimeControl } from './time-control';
import { Mode } from './category';
import { DEFAULT_FORMAT } from './format';

/**
 * One pool per (tenant, variant, time control, mode, format); the tenant is kept beside the key, not in it.
 * The format is appended only when it is not 1v1 (`standard_3+0_rated_2v2`), so 1v1 keys never change.
 */
export function poolKey(variant: string, tc: TimeControl, mode: Mode, format: string = DEFAULT_FORMAT): string {
  const base = `${variant}_${formatTimeControl(tc)}_${mode}`;
  return format === DEFAULT_FORMAT ? base : `${base}_${format}`;
}

export interface PoolParts {
  variant: string;
  timeControl: TimeControl;
  mode: Mode;
  format: string;
}

const POOL_KEY = /^([a-z0-9-]+)_(\d{1,3})\+(\d{1,3})_(rated|casual)(?:_([1-5]v[1-5]))?$/;

export function parsePoolKey(key: string): PoolParts | null {
  const match = POOL_KEY.exec(key);
  if (!match) return null;
  return {
    variant: match[1],
    timeControl: { minutes: Number(match[2]), increment: Number(match[3]) },
    mode: match[4] as Mode,
    format: match[5] ?? DEFAULT_FORMAT,
  };
}
