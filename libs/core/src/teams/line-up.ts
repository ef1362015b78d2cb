import { Team, TeamMatch } from './types';

export type BoardColor = 'white' | 'black';

export interface LinedUpPlayer {
  userId: string;
  rating: number;
  /** 1 = the team's highest-rated player */
  board: number;
  color: BoardColor;
  ticketId: string;
}

export interface LinedUpTeam {
  team: 'a' | 'b';
  rating: number;
  players: LinedUpPlayer[];
}

function boards(team: Team, label: 'a' | 'b'): LinedUpTeam {
  const players = team.tickets
    .flatMap((t) => t.players.map((p) => ({ userId: p.userId, rating: p.rating, ticketId: t.id })))
    .sort((x, y) => y.rating - x.rating || (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0));
  return {
    team: label,
    rating: team.rating,
    players: players.map((p, k) => {
      // team 'a' has white on odd boards (1, 3, …), team 'b' the other colour on every board
      const white = (k % 2 === 0) === (label === 'a');
      return { ...p, board: k + 1, color: white ? 'white' : 'black' };
    }),
  };
}

/**
 * Boards and colours (SPEC §12): in each team the higher-rated player takes the lower board (ties by
 * userId); team 'a' has white on board 1, black on board 2, alternating. Which side is team 'a' is the
 * caller's choice (the §7 colour rule over the two board-1 players): `aFirst` true makes match.a team 'a'.
 * Returns [team 'a', team 'b'].
 */
export function lineUp(match: TeamMatch, aFirst = true): [LinedUpTeam, LinedUpTeam] {
  const [first, second] = aFirst ? [match.a, match.b] : [match.b, match.a];
  return [boards(first, 'a'), boards(second, 'b')];
}
