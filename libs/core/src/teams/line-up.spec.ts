import { TEST_POLICY, ticketBuilder } from '../testing';
import { lineUp } from './line-up';
import { findTeamMatches } from './matcher';
import { makeTeamMatch } from './types';

const NOW = 50_000_000;
const t = ticketBuilder(NOW);

/** "board:user:colour" per player of each team, in board order */
const boards = (teams: ReturnType<typeof lineUp>): string[][] =>
  teams.map((team) => team.players.map((p) => `${p.board}:${p.userId}:${p.color}`));

describe('lineUp: boards and colours (SPEC §12)', () => {
  it('2v2: the higher-rated player takes board 1; team a white on board 1, black on board 2', () => {
    const match = makeTeamMatch([t('P', [1480, 1620], 9000)], [t('x', 1500, 5000), t('y', 1610, 4000)]);
    const [a, b] = lineUp(match);
    expect(a.team).toBe('a');
    expect(b.team).toBe('b');
    expect(boards([a, b])).toEqual([
      ['1:P.2:white', '2:P.1:black'],
      ['1:y:black', '2:x:white'],
    ]);
    expect(a.rating).toBe(1550);
    expect(b.rating).toBe(1555);
    expect(a.players.map((p) => p.ticketId)).toEqual(['P', 'P']);
    expect(b.players.map((p) => [p.userId, p.ticketId, p.rating])).toEqual([
      ['y', 'y', 1610],
      ['x', 'x', 1500],
    ]);
  });

  it('the caller picks which side is team a (colour history of the board-1 players)', () => {
    const match = makeTeamMatch([t('P', [1480, 1620], 9000)], [t('x', 1500, 5000), t('y', 1610, 4000)]);
    const [a, b] = lineUp(match, false);
    expect(boards([a, b])).toEqual([
      ['1:y:white', '2:x:black'],
      ['1:P.2:black', '2:P.1:white'],
    ]);
    expect([a.rating, b.rating]).toEqual([1555, 1550]);
  });

  it('3v3: colours alternate down the boards, opposite on every board; rating ties by user id', () => {
    const match = makeTeamMatch(
      [t('Q', [1500, 1700], 9000), t('s', 1600, 8000)],
      [t('R', [1650, 1650, 1550], 7000, 'EU', ['r2', 'r1', 'r3'])],
    );
    const [a, b] = lineUp(match);
    expect(boards([a, b])).toEqual([
      ['1:Q.2:white', '2:s:black', '3:Q.1:white'],
      ['1:r1:black', '2:r2:white', '3:r3:black'],
    ]);
    for (let k = 0; k < 3; k++) expect(a.players[k].color).not.toBe(b.players[k].color);
  });

  it('lines up what the matcher returns: every player once, boards 1..N in each team', () => {
    const tickets = [t('P', [1500, 1520], 9000), t('a', 1490, 8000), t('b', 1530, 7000)];
    const [match] = findTeamMatches(tickets, 2, NOW, TEST_POLICY);
    const teams = lineUp(match);
    expect(teams.flatMap((team) => team.players.map((p) => p.userId)).sort()).toEqual(['P.1', 'P.2', 'a', 'b']);
    for (const team of teams) expect(team.players.map((p) => p.board)).toEqual([1, 2]);
  });
});
