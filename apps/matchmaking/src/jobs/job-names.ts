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
  /** A shard's repeating job: it ticks every active pool of the shard. */
  tickShard: 'tick-shard',
  /** The job of the one-scheduler-per-pool design this replaced; a worker that meets one removes it. */
  tick: 'tick',
  createGame: 'create-game',
  sweep: 'sweep',
} as const;

export const SWEEP_SCHEDULER_ID = 'sweep';

/** One tick scheduler per shard of the pools (MATCH_TICK_SHARDS of them). */
export function tickShardSchedulerId(shard: number): string {
  return `tick-shard.${shard}`;
}

/** The shard of a pool: FNV-1a of tenant and pool key, the same in every process. */
export function tickShardOf(tenantId: string, poolKey: string, shards: number): number {
  let hash = 0x811c9dc5;
  const key = `${tenantId}\n${poolKey}`;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** One game-creation job per match, so a retried enqueue can never make a second job. */
export function gameJobId(matchId: string): string {
  return `game.${matchId}`;
}

/** BullMQ key prefix with a hash tag, so every key of a queue lands in one Redis Cluster slot. */
export function bullPrefix(redisKeyPrefix: string): string {
  return `{${redisKeyPrefix}}`;
}
