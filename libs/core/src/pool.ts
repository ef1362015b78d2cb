import { formatTimeControl, TimeControl } from './time-control';
import { Mode } from './category';

/** One pool per (tenant, variant, time control, mode); the tenant is kept beside the key, not in it. */
export function poolKey(variant: string, tc: TimeControl, mode: Mode): string {
  return `${variant}_${formatTimeControl(tc)}_${mode}`;
}

export interface PoolParts {
  variant: string;
  timeControl: TimeControl;
  mode: Mode;
}

const POOL_KEY = /^([a-z0-9-]+)_(\d{1,3})\+(\d{1,3})_(rated|casual)$/;

export function parsePoolKey(key: string): PoolParts | null {
  const match = POOL_KEY.exec(key);
  if (!match) return null;
  return {
    variant: match[1],
    timeControl: { minutes: Number(match[2]), increment: Number(match[3]) },
    mode: match[4] as Mode,
  };
}
