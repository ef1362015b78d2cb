import { MatchPlayerRecord, MatchRecord, TeamName } from '@app/persistence';
import { TeamDto, TeamMatchDto } from './team-match.dto';

const TEAMS: TeamName[] = ['a', 'b'];

/** Both teams of a match's players (match_players rows), team a first, each by board. */
export function presentTeams(players: readonly MatchPlayerRecord[]): TeamDto[] {
  return TEAMS.map((team) => {
    const members = players.filter((p) => p.team === team).sort((x, y) => x.board - y.board);
    const rating = members.reduce((sum, p) => sum + p.rating, 0) / Math.max(1, members.length);
    return {
      team,
      rating,
      players: members.map((p) => ({
        user_id: p.userId,
        username: p.username,
        rating: p.rating,
        board: p.board,
        color: p.color,
      })),
    };
  });
}

/** The §12 `match` shape of a team match. */
export function presentTeamMatch(match: MatchRecord, players: readonly MatchPlayerRecord[]): TeamMatchDto {
  return { match_id: match.id, game_id: match.gameId, format: match.format, teams: presentTeams(players) };
}
