import { ChallengeDto } from './challenges.dto';
import { Challenge } from '@app/persistence';

export function presentChallenge(c: Challenge): ChallengeDto {
  return {
    challenge_id: c.id,
    status: c.status,
    challenger_user_id: c.challengerUserId,
    opponent_user_id: c.opponentUserId,
    challenger: { user_id: c.challengerUserId, username: c.challengerUsername, rating: c.challengerRating },
    time_control: c.timeControl,
    mode: c.mode,
    variant: c.variant,
    preferred_color: c.preferredColor,
    created_at: c.createdAt.toISOString(),
    expires_at: c.expiresAt.toISOString(),
    decline_reason: c.declineReason,
    match_id: c.matchId,
    game_id: c.gameId,
  };
}
