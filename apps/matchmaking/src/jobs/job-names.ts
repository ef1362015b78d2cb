/**
 * Every BullMQ queue, job name and job-id rule of the service. Job ids never contain ':' (BullMQ
 * reserves it), so ids made of our own ids use '.' and '-' only.
 */
export const QUEUES = {
  matching: 'matching',
  gameCreation: 'game-creation',
  maintenance: 'maintenance',
} as const;

export const JOBS = {
  tick: 'tick',
  createGame: 'create-game',
  sweep: 'sweep',
} as const;

export const SWEEP_SCHEDULER_ID = 'sweep';

const safe = (s: string) => s.replace(/[^A-Za-z0-9._+-]/g, (c) => `~${c.charCodeAt(0).toString(16)}`);

/** One tick scheduler per (tenant, pool). */
export function tickSchedulerId(tenantId: string, poolKey: string): string {
  return `tick.${safe(tenantId)}.${safe(poolKey)}`;
}

/** One game-creation job per match, so a retried enqueue can never make a second job. */
export function gameJobId(matchId: string): string {
  return `game.${matchId}`;
}

/** BullMQ key prefix with a hash tag, so every key of a queue lands in one Redis Cluster slot. */
export function bullPrefix(redisKeyPrefix: string): string {
  return `{${redisKeyPrefix}}`;
}
