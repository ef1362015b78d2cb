import { QueueEntryDto } from './queue.dto';
import { QueueEntryView } from '@app/persistence';

/** The public QueueEntry shape; the wait estimate counts down while the entry is searching. */
export function presentQueueEntry(e: QueueEntryView, now = Date.now()): QueueEntryDto {
  const waited = Math.floor((now - e.enqueuedAt.getTime()) / 1000);
  return {
    queue_entry_id: e.id,
    status: e.status,
    user_id: e.userId,
    tenant_id: e.tenantId,
    pool_key: e.poolKey,
    time_control: e.timeControl,
    mode: e.mode,
    variant: e.variant,
    format: e.format,
    region: e.region,
    rating: e.rating,
    enqueued_at: e.enqueuedAt.toISOString(),
    expires_at: e.expiresAt.toISOString(),
    estimated_wait_seconds: e.status === 'SEARCHING' ? Math.max(0, e.estimatedWaitSeconds - waited) : 0,
    match_id: e.matchId,
    game_id: e.gameId,
    color: e.color,
    opponent: e.opponent,
    ended_reason: e.endedReason,
    // A 1v1 entry keeps its shape; only a team ticket carries its party and players.
    ...(e.members ? { party_id: e.partyId, members: e.members, match: e.teamMatch } : {}),
  };
}
