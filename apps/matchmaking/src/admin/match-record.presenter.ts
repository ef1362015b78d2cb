import { MatchPlayerRecord, MatchRecord } from '@app/persistence';
import { presentTeams } from '../matches/team-match.presenter';
import { MatchRecordDto } from './admin.dto';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** A match record as admins see it; a team match also lists its teams (match_players rows). */
export function presentMatchRecord(m: MatchRecord, players?: readonly MatchPlayerRecord[]): MatchRecordDto {
  const record: MatchRecordDto = {
    match_id: m.id,
    tenant_id: m.tenantId,
    source: m.source,
    status: m.status,
    format: m.format,
    pool_key: m.poolKey,
    time_control: m.timeControl,
    mode: m.mode,
    variant: m.variant,
    category: m.category,
    region: m.region,
    white_user_id: m.whiteUserId,
    black_user_id: m.blackUserId,
    white_username: m.whiteUsername,
    black_username: m.blackUsername,
    white_rating: m.whiteRating,
    black_rating: m.blackRating,
    rating_gap: m.ratingGap,
    white_entry_id: m.whiteEntryId,
    black_entry_id: m.blackEntryId,
    white_wait_ms: m.whiteWaitMs,
    black_wait_ms: m.blackWaitMs,
    challenge_id: m.challengeId,
    game_id: m.gameId,
    attempts: m.attempts,
    last_error: m.lastError,
    result: m.result,
    result_at: iso(m.resultAt),
    request_id: m.requestId,
    created_at: iso(m.createdAt)!,
    game_created_at: iso(m.gameCreatedAt),
  };
  return players?.length ? { ...record, teams: presentTeams(players) } : record;
}
