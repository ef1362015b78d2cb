import { Party } from '@app/persistence';
import { PartyDto } from './parties.dto';

export function presentParty(p: Party): PartyDto {
  return {
    party_id: p.id,
    leader_user_id: p.leaderUserId,
    format: p.format,
    status: p.status,
    members: p.members.map((m) => ({
      user_id: m.userId,
      username: m.username,
      rating: m.rating,
      joined_at: m.joinedAt.toISOString(),
    })),
    queue_entry_id: p.queueEntryId,
    created_at: p.createdAt.toISOString(),
  };
}
