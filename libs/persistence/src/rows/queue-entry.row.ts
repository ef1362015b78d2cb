import type { PoolFields } from './pool-fields';

export type QueueStatus = 'SEARCHING' | 'MATCHING' | 'MATCHED' | 'CANCELLED' | 'TIMED_OUT';

export interface OpponentSnapshot {
  user_id: string;
  username: string | null;
  rating_snapshot: { time_control: string; mode: string; rating: number };
}

export interface QueueEntry extends PoolFields {
  id: string;
  tenantId: string;
  userId: string;
  username: string | null;
  rating: number;
  status: QueueStatus;
  enqueuedAt: Date;
  expiresAt: Date;
  estimatedWaitSeconds: number;
  matchId: string | null;
  gameId: string | null;
  color: 'white' | 'black' | null;
  opponent: OpponentSnapshot | null;
  endedReason: string | null;
  endedAt: Date | null;
  requestId: string | null;
}

/** A `queue_entries` row (QUEUE_ENTRY_COLUMNS) as the service reads it. */
export function toQueueEntry(row: Record<string, any>): QueueEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    username: row.username,
    poolKey: row.pool_key,
    timeControl: row.time_control,
    mode: row.mode,
    variant: row.variant,
    category: row.category,
    region: row.region,
    rating: row.rating,
    status: row.status,
    enqueuedAt: row.enqueued_at,
    expiresAt: row.expires_at,
    estimatedWaitSeconds: row.estimated_wait_seconds,
    matchId: row.match_id,
    gameId: row.game_id,
    color: row.color,
    opponent: row.opponent,
    endedReason: row.ended_reason,
    endedAt: row.ended_at,
    requestId: row.request_id,
  };
}

/** Every column toQueueEntry reads. */
export const QUEUE_ENTRY_COLUMNS = `id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category, region, rating,
  status, enqueued_at, expires_at, estimated_wait_seconds, match_id, game_id, color, opponent, ended_reason,
  ended_at, request_id`;
