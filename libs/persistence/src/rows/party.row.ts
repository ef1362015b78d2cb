export type PartyStatus = 'OPEN' | 'QUEUED' | 'IN_GAME' | 'DISBANDED';
export const PARTY_STATUSES: readonly PartyStatus[] = ['OPEN', 'QUEUED', 'IN_GAME', 'DISBANDED'];

export interface PartyMember {
  userId: string;
  username: string | null;
  /** In the category of the party's ticket, else the party format's blitz category (`team_blitz`). */
  rating: number;
  joinedAt: Date;
}

export interface Party {
  id: string;
  tenantId: string;
  leaderUserId: string;
  format: string;
  size: number;
  status: PartyStatus;
  queueEntryId: string | null;
  createdAt: Date;
  /** Live members, longest-standing first (the next leader is the first after the leader). */
  members: PartyMember[];
}

/** A `parties` row with PARTY_COLUMNS as the service reads it. */
export function toParty(row: Record<string, any>): Party {
  const members = (row.members ?? []) as Record<string, any>[];
  return {
    id: row.id,
    tenantId: row.tenant_id,
    leaderUserId: row.leader_user_id,
    format: row.format,
    size: row.size,
    status: row.status,
    queueEntryId: row.queue_entry_id,
    createdAt: row.created_at,
    members: members.map((m) => ({
      userId: m.user_id,
      username: m.username,
      rating: m.rating,
      joinedAt: new Date(m.joined_at),
    })),
  };
}

/**
 * A party has no time control until it queues, so its members' ratings are shown in the category of
 * its ticket, else in team_blitz (every team format rates in `team_<category>`).
 */
export const PARTY_DISPLAY_CATEGORY = 'team_blitz';

/** Every column toParty reads, from `parties p`. Ratings default to 1500 like a join's. */
export const PARTY_COLUMNS = `p.id, p.tenant_id, p.leader_user_id, p.format, p.size,
  p.status, p.queue_entry_id, p.created_at,
  (SELECT json_agg(json_build_object('user_id', m.user_id, 'username', m.username, 'joined_at', m.joined_at,
            'rating', COALESCE(round(r.rating)::int, 1500)) ORDER BY m.joined_at, m.user_id)
   FROM party_members m
   LEFT JOIN player_ratings r ON r.tenant_id = m.tenant_id AND r.user_id = m.user_id
     AND r.category = COALESCE((SELECT category FROM queue_entries WHERE id = p.queue_entry_id), '${PARTY_DISPLAY_CATEGORY}')
   WHERE m.party_id = p.id AND m.left_at IS NULL) AS members`;
