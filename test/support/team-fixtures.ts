import { Database } from '../../libs/persistence/src';
import { GameJobsRepository } from '../../apps/matchmaking/src/jobs/game-jobs.repository';
import { LinedUpTeam, TeamMatchesRepository } from '../../apps/matchmaking/src/matches/team-matches.repository';
import { TestApp } from './test-app';

export interface SeatFixture {
  user: string;
  rating: number;
}

/** A 2v2 as the team matcher's lineUp places it: board 1 the higher-rated; team a white on board 1. */
export const TEAM_A: SeatFixture[] = [
  { user: 'ann', rating: 1600 },
  { user: 'abe', rating: 1450 },
];
export const TEAM_B: SeatFixture[] = [
  { user: 'bea', rating: 1580 },
  { user: 'bob', rating: 1480 },
];

export const TEAM_POOL = {
  poolKey: 'standard_3+0_rated_2v2',
  format: '2v2',
  timeControl: '3+0',
  mode: 'rated',
  variant: 'standard',
  category: 'blitz',
  region: 'EU',
};

let ticketSeq = 0;

/**
 * One solo ticket per player, MATCHING as the tick's claim leaves it, enqueued `waitSeconds` ago; plain
 * queue_entries rows, so the fixture needs neither parties nor ticket_members. Answers the ticket ids.
 */
export async function insertTickets(
  t: TestApp,
  tenant: string,
  seats: SeatFixture[],
  waitSeconds = 10,
): Promise<string[]> {
  const ids = seats.map(() => `q_team_${tenant}_${ticketSeq++}`);
  await t.db.query(
    `INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category, region,
       rating, status, enqueued_at, expires_at)
     SELECT u.id, $2, u.user_id, upper(u.user_id), $3, $4, $5, $6, $7, $8, u.rating, 'MATCHING',
       now() - make_interval(secs => $9), now() + interval '10 minutes'
     FROM unnest($1::text[], $10::text[], $11::int[]) AS u(id, user_id, rating)`,
    [
      ids,
      tenant,
      TEAM_POOL.poolKey,
      TEAM_POOL.timeControl,
      TEAM_POOL.mode,
      TEAM_POOL.variant,
      `team_${TEAM_POOL.category}`,
      TEAM_POOL.region,
      waitSeconds,
      seats.map((s) => s.user),
      seats.map((s) => s.rating),
    ],
  );
  return ids;
}

function lineUp(team: 'a' | 'b', seats: SeatFixture[], tickets: string[]): LinedUpTeam {
  return {
    team,
    rating: seats.reduce((sum, s) => sum + s.rating, 0) / seats.length,
    players: seats.map((s, i) => ({
      userId: s.user,
      username: s.user.toUpperCase(),
      rating: s.rating,
      board: i + 1,
      color: (team === 'a') === (i % 2 === 0) ? 'white' : 'black',
      ticketId: tickets[i],
      waitMs: 10_000 + i,
    })),
  };
}

/** What the tick does with a team match: its tickets claimed, the match inserted, its game job enqueued. */
export async function makeTeamMatch(
  t: TestApp,
  tenant: string,
  a: SeatFixture[] = TEAM_A,
  b: SeatFixture[] = TEAM_B,
): Promise<{ matchId: string; tickets: string[] }> {
  const tickets = await insertTickets(t, tenant, [...a, ...b]);
  const repository = t.app.get(TeamMatchesRepository);
  const [match] = await t.app.get(Database).transaction((tx) =>
    repository.insertAll(tx, [
      {
        tenantId: tenant,
        ...TEAM_POOL,
        requestId: null,
        teams: [lineUp('a', a, tickets.slice(0, a.length)), lineUp('b', b, tickets.slice(a.length))],
      },
    ]),
  );
  await t.app.get(GameJobsRepository).enqueue([{ matchId: match.id, requestId: null }]);
  return { matchId: match.id, tickets };
}

export async function matchRow(t: TestApp, matchId: string): Promise<Record<string, any>> {
  const [row] = await t.db.query(`SELECT * FROM matches WHERE id = $1`, [matchId]);
  return row;
}

export async function ticketRows(t: TestApp, ids: string[]): Promise<Record<string, any>[]> {
  return t.db.query(
    `SELECT id, status, match_id, game_id, color, opponent, enqueued_at::text AS enqueued_at FROM queue_entries
     WHERE id = ANY($1) ORDER BY id`,
    [ids],
  );
}
