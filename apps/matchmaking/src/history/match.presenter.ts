import { isTeamFormat } from '@app/core';
import { MatchPlayerRecord, MatchRecord } from '@app/persistence';
import { presentTeams } from '../matches/team-match.presenter';
import { MatchPlayerDto, MatchSummaryDto } from './match-history.dto';

const rounded = (n: number | null) => (n === null ? null : Math.round(n));

/** The result from one side: `side` is a colour in a 1v1 game, a team in a team game. */
function outcomeFor(m: MatchRecord, side: string): string | null {
  if (!m.result) return null;
  if (m.result === 'draw' || m.result === 'aborted') return m.result;
  return m.result === side ? 'win' : 'loss';
}

function common(m: MatchRecord) {
  return {
    match_id: m.id,
    status: m.status,
    source: m.source,
    pool_key: m.poolKey,
    time_control: m.timeControl,
    mode: m.mode,
    variant: m.variant,
    format: m.format,
    category: m.category,
    game_id: m.gameId,
    result: m.result,
    created_at: m.createdAt.toISOString(),
    result_at: m.resultAt ? m.resultAt.toISOString() : null,
  };
}

/** A match as one of its players sees it; a team match with its players (match_players rows). */
export function presentMatch(m: MatchRecord, userId: string, players?: readonly MatchPlayerRecord[]): MatchSummaryDto {
  if (isTeamFormat(m.format) && players?.length) return presentTeamSummary(m, userId, players);
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
    ...common(m),
    color,
    opponent: { user_id: other.user_id, username: other.username, color: other.color, rating: other.rating },
    players: [white, black],
    outcome: outcomeFor(m, color),
  };
}

/** Board N of team a plays board N of team b: the caller's opponent is the other team's player on their board. */
function presentTeamSummary(m: MatchRecord, userId: string, players: readonly MatchPlayerRecord[]): MatchSummaryDto {
  const me = players.find((p) => p.userId === userId) ?? players[0];
  const other = players.find((p) => p.team !== me.team && p.board === me.board)!;
  return {
    ...common(m),
    color: me.color,
    opponent: { user_id: other.userId, username: other.username, color: other.color, rating: other.rating },
    players: players.map((p) => ({
      user_id: p.userId,
      username: p.username,
      color: p.color,
      rating: p.rating,
      rating_before: rounded(p.ratingBefore),
      rating_after: rounded(p.ratingAfter),
    })),
    teams: presentTeams(players),
    outcome: outcomeFor(m, me.team),
  };
}
