import { MatchRecord } from '@app/persistence';
import { MatchPlayerDto, MatchSummaryDto } from './match-history.dto';

/** Every current pool is one against one (SPEC §12 adds team formats later). */
const ONE_V_ONE = '1v1';

const rounded = (n: number | null) => (n === null ? null : Math.round(n));

function outcomeFor(m: MatchRecord, color: 'white' | 'black'): string | null {
  if (!m.result) return null;
  if (m.result === 'draw' || m.result === 'aborted') return m.result;
  return m.result === color ? 'win' : 'loss';
}

/** A match as one of its players sees it. */
export function presentMatch(m: MatchRecord, userId: string): MatchSummaryDto {
  const white: MatchPlayerDto = {
    user_id: m.whiteUserId,
    username: m.whiteUsername,
    color: 'white',
    rating: m.whiteRating,
    rating_before: rounded(m.whiteRatingBefore),
    rating_after: rounded(m.whiteRatingAfter),
  };
  const black: MatchPlayerDto = {
    user_id: m.blackUserId,
    username: m.blackUsername,
    color: 'black',
    rating: m.blackRating,
    rating_before: rounded(m.blackRatingBefore),
    rating_after: rounded(m.blackRatingAfter),
  };
  const color = m.whiteUserId === userId ? 'white' : 'black';
  const other = color === 'white' ? black : white;
  return {
    match_id: m.id,
    status: m.status,
    source: m.source,
    pool_key: m.poolKey,
    time_control: m.timeControl,
    mode: m.mode,
    variant: m.variant,
    format: ONE_V_ONE,
    category: m.category,
    color,
    opponent: { user_id: other.user_id, username: other.username, color: other.color, rating: other.rating },
    players: [white, black],
    game_id: m.gameId,
    result: m.result,
    outcome: outcomeFor(m, color),
    created_at: m.createdAt.toISOString(),
    result_at: m.resultAt ? m.resultAt.toISOString() : null,
  };
}
