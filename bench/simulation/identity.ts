import { Client } from 'pg';
import { Counters } from './client';

/**
 * The accounting identity of a plain (fault-free) run: every accepted join is one row in a known
 * state, one match makes at most one game, and the stub's games agree with the matches.
 */

export type Query = <T = any>(sql: string, params?: unknown[]) => Promise<T[]>;

export const queryOn =
  (pg: Client): Query =>
  async <T = any>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await pg.query(sql, params)).rows as T[];

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function identityChecks(q: Query, stubUrl: string, c: Counters) {
  const byStatus = await q<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM queue_entries GROUP BY status ORDER BY status`,
  );
  const statusCounts: Record<string, number> = { SEARCHING: 0, MATCHING: 0, MATCHED: 0, CANCELLED: 0, TIMED_OUT: 0 };
  for (const r of byStatus) statusCounts[r.status] = r.n;
  const totalEntries = byStatus.reduce((s, r) => s + r.n, 0);
  const unknownStatuses = byStatus.filter(
    (r) => !['SEARCHING', 'MATCHING', 'MATCHED', 'CANCELLED', 'TIMED_OUT'].includes(r.status),
  );
  const [games] = await q<{
    with_game: number;
    distinct_games: number;
    matches: number;
    created: number;
    failed: number;
    pending: number;
    with_result: number;
  }>(
    `SELECT count(game_id)::int AS with_game, count(DISTINCT game_id)::int AS distinct_games, count(*)::int AS matches,
            count(*) FILTER (WHERE status = 'CREATED')::int AS created, count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
            count(*) FILTER (WHERE status = 'PENDING')::int AS pending, count(result)::int AS with_result FROM matches`,
  );
  const [entryLinks] = await q<{ matched_without_game: number; entries_in_two_matches: number }>(
    `SELECT (SELECT count(*) FROM queue_entries WHERE status = 'MATCHED' AND game_id IS NULL)::int AS matched_without_game,
            (SELECT count(*) FROM (SELECT e FROM (SELECT white_entry_id AS e FROM matches UNION ALL SELECT black_entry_id FROM matches) x
                                   WHERE e IS NOT NULL GROUP BY e HAVING count(*) > 1) d)::int AS entries_in_two_matches`,
  );
  const stubGames = (await fetch(`${stubUrl}/control/games`).then((r) => r.json())) as Array<{
    match_id: string;
    game_id: string;
    result: string | null;
  }>;
  const perMatch = new Map<string, number>();
  for (const g of stubGames) perMatch.set(g.match_id, (perMatch.get(g.match_id) ?? 0) + 1);
  const maxGamesPerMatch = Math.max(0, ...perMatch.values());
  const matchGames = new Map(
    (await q<{ id: string; game_id: string | null }>(`SELECT id, game_id FROM matches`)).map((m) => [m.id, m.game_id]),
  );
  let orphan = 0;
  let disagree = 0;
  let inFlight = 0;
  for (const g of stubGames) {
    if (!matchGames.has(g.match_id)) orphan++;
    else if (matchGames.get(g.match_id) === null) inFlight++;
    else if (matchGames.get(g.match_id) !== g.game_id) disagree++;
  }
  const recordedWithoutStubGame = [...matchGames].filter(([id, gid]) => gid !== null && !perMatch.has(id)).length;
  const gameAgreement = {
    ok: orphan === 0 && disagree === 0 && recordedWithoutStubGame === 0,
    detail:
      `${stubGames.length} stub games; ${orphan} without a match, ${disagree} with another game id, ` +
      `${recordedWithoutStubGame} recorded ids unknown to the stub, ${inFlight} created but not yet recorded (in flight)`,
  };

  const [members] = await q<{ members: number; unseated: number; double_open: number; wrong_size: number }>(
    `SELECT (SELECT count(*) FROM ticket_members)::int AS members,
            (SELECT count(*) FROM ticket_members t JOIN queue_entries e ON e.id = t.entry_id
             WHERE e.status = 'MATCHED' AND e.format <> '1v1'
               AND NOT EXISTS (SELECT 1 FROM match_players p WHERE p.match_id = e.match_id AND p.user_id = t.user_id)
            )::int AS unseated,
            (SELECT count(*) FROM (SELECT 1 FROM ticket_members WHERE open GROUP BY tenant_id, user_id
                                   HAVING count(*) > 1) d)::int AS double_open,
            (SELECT count(*) FROM matches m WHERE m.format <> '1v1'
               AND (SELECT count(*) FROM match_players p WHERE p.match_id = m.id)
                   <> 2 * split_part(m.format, 'v', 1)::int)::int AS wrong_size`,
  );
  const checks = [
    {
      name: 'count(queue_entries) = joins accepted by the driver (201, or recovered via /active)',
      ok: totalEntries === c.accepted,
      detail: `${totalEntries} vs ${c.accepted}`,
    },
    {
      name: "count(ticket_members) = players of the accepted joins (a party's ticket counts both)",
      ok: members.members === c.acceptedMembers,
      detail: `${members.members} vs ${c.acceptedMembers}`,
    },
    {
      name: 'every member of a MATCHED team ticket has a seat in its match; every team match has 2N seats',
      ok: members.unseated === 0 && members.wrong_size === 0,
      detail: `${members.unseated} members without a seat, ${members.wrong_size} matches of the wrong size`,
    },
    {
      name: 'no user in two open tickets',
      ok: members.double_open === 0,
      detail: String(members.double_open),
    },
    {
      name: 'every entry is SEARCHING, MATCHING, MATCHED, CANCELLED or TIMED_OUT',
      ok: unknownStatuses.length === 0,
      detail: JSON.stringify(statusCounts),
    },
    {
      name: 'count(DISTINCT game_id) = count(game_id) in matches',
      ok: games.distinct_games === games.with_game,
      detail: `${games.distinct_games} vs ${games.with_game}`,
    },
    {
      name: 'stub /control/games per match_id ≤ 1',
      ok: maxGamesPerMatch <= 1,
      detail: `max ${maxGamesPerMatch} over ${perMatch.size} matches`,
    },
    {
      name: "every stub game belongs to a match, and matches with a game id name the stub's game",
      ok: gameAgreement.ok,
      detail: gameAgreement.detail,
    },
    {
      name: 'no queue entry in two matches',
      ok: entryLinks.entries_in_two_matches === 0,
      detail: String(entryLinks.entries_in_two_matches),
    },
    {
      name: 'every MATCHED entry has a game id',
      ok: entryLinks.matched_without_game === 0,
      detail: String(entryLinks.matched_without_game),
    },
  ];
  return { checks: checks as Check[], statusCounts, games };
}
