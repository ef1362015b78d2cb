export const CHALLENGE_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED'] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];
export const PREFERRED_COLORS = ['white', 'black', 'random'] as const;
export type PreferredColor = (typeof PREFERRED_COLORS)[number];
export const DECLINE_REASONS = [
  'generic',
  'later',
  'too_fast',
  'too_slow',
  'time_control',
  'rated',
  'casual',
  'variant',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface Challenge {
  id: string;
  tenantId: string;
  challengerUserId: string;
  challengerUsername: string | null;
  /** The challenger's current rating in the challenge's category. */
  challengerRating: number;
  opponentUserId: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  preferredColor: PreferredColor;
  status: ChallengeStatus;
  declineReason: DeclineReason | null;
  matchId: string | null;
  gameId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export function toChallenge(r: Record<string, any>): Challenge {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    challengerUserId: r.challenger_user_id,
    challengerUsername: r.challenger_username,
    challengerRating: r.challenger_rating,
    opponentUserId: r.opponent_user_id,
    timeControl: r.time_control,
    mode: r.mode,
    variant: r.variant,
    category: r.category,
    preferredColor: r.preferred_color,
    status: r.status,
    declineReason: r.decline_reason,
    matchId: r.match_id,
    gameId: r.game_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}
