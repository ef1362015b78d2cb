import { Injectable } from '@nestjs/common';
import { formatCategory } from '@app/core';
import { COOLDOWN_PROBE_MAX_USERS } from '../matching/pairing.repository';
import {
  BoardColor,
  Database,
  MATCH_COLUMNS,
  MATCH_PLAYER_COLUMNS,
  MATCH_PLAYER_ORDER,
  MatchPlayerRecord,
  MatchRecord,
  newId,
  Sql,
  TeamName,
  toMatch,
  toMatchPlayer,
} from '@app/persistence';

/*
 * Both unnamed, so planned with the tables' current sizes: a generic plan made while match_players was nearly
 * empty (a new deployment, a bench's truncated tables) read it whole once per match of the window, ~20 s a
 * tick at 27,000 rows. Planning costs ~1 ms a tick.
 */
const RECENT_OPPONENTS = `SELECT x.user_id AS a, y.user_id AS b
         FROM match_players x
         JOIN matches m ON m.id = x.match_id
         JOIN match_players y ON y.match_id = x.match_id AND y.team = 'b'
         WHERE x.tenant_id = $1 AND x.user_id = ANY($3) AND x.team = 'a' AND y.user_id = ANY($3)
           AND x.created_at > now() - make_interval(secs => $2::int) - interval '1 day'
           AND ((m.status <> 'FAILED' AND m.created_at > now() - make_interval(secs => $2::int))
             OR (m.status = 'FAILED' AND m.failed_at > now() - make_interval(secs => $2::int)))`;

/** The tenant's team matches of the window, through matches_by_tenant_recent and matches_failed_recent. */
const RECENT_OPPONENTS_OF_TENANT = `SELECT x.user_id AS a, y.user_id AS b
         FROM (SELECT id FROM matches
               WHERE tenant_id = $1 AND status <> 'FAILED' AND created_at > now() - make_interval(secs => $2::int)
               UNION ALL
               SELECT id FROM matches
               WHERE tenant_id = $1 AND status = 'FAILED' AND failed_at > now() - make_interval(secs => $2::int)) m
         JOIN match_players x ON x.match_id = m.id AND x.team = 'a'
         JOIN match_players y ON y.match_id = m.id AND y.team = 'b'`;

/** One player as the team matcher's `lineUp` places them (docs/teams.md). */
export interface LinedUpPlayer {
  userId: string;
  username?: string | null;
  rating: number;
  board: number;
  color: BoardColor;
  ticketId: string;
  waitMs: number;
}

export interface LinedUpTeam {
  team: TeamName;
  /** The mean of its players' ratings. */
  rating: number;
  players: LinedUpPlayer[];
}

/** A team match as the tick hands it over, right after claiming its tickets. */
export interface NewTeamMatch {
  tenantId: string;
  poolKey: string;
  format: string;
  timeControl: string;
  mode: string;
  variant: string;
  /** The pool's rating category; a team format rates in `team_<category>`, added here when missing. */
  category: string;
  region: string | null;
  requestId: string | null;
  teams: LinedUpTeam[];
}

export interface TeamRatingMove {
  userId: string;
  before: number;
  after: number;
}

/** Both teams of equal size with boards 1..N, else the caller built a match the live-game API cannot play. */
function sides(m: NewTeamMatch): { a: LinedUpTeam; b: LinedUpTeam } {
  const a = m.teams.find((t) => t.team === 'a');
  const b = m.teams.find((t) => t.team === 'b');
  const boardsOk = (t: LinedUpTeam) => t.players.every((p, i) => p.board === i + 1);
  if (m.teams.length !== 2 || !a || !b || !a.players.length || a.players.length !== b.players.length) {
    throw new Error(`a team match needs teams a and b of equal size (match of ${m.teams.length} teams)`);
  }
  const byBoard = (t: LinedUpTeam) => ({ ...t, players: [...t.players].sort((x, y) => x.board - y.board) });
  const [sa, sb] = [byBoard(a), byBoard(b)];
  if (!boardsOk(sa) || !boardsOk(sb)) throw new Error('a team match needs boards 1..N in each team');
  return { a: sa, b: sb };
}

/** Team matches: the match row with its board-1 players, every player's row, and the tickets' match id. */
@Injectable()
export class TeamMatchesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Writes PENDING team matches inside the caller's transaction, in one statement however many: each
   * `matches` row (white/black are the board-1 players, so 1v1 reads and the admin view keep working; the
   * gap is the team-rating gap), one `match_players` row per player with its match's own created_at (the
   * history cursor compares it to the microsecond), and the match id on every ticket, which is how the
   * game-creation outcome finds them. Team tickets keep `color` and `opponent` null (SPEC §12). One
   * statement per match cost a 2v2 burst tick ~1.7 ms a match (docs/performance.md). In `matches`' order.
   */
  async insertAll(sql: Sql, matches: NewTeamMatch[]): Promise<MatchRecord[]> {
    if (!matches.length) return [];
    const rows = matches.map((match) => ({ id: newId('m'), match, ...sides(match) }));
    const seats = rows.flatMap(({ id, a, b }) => [
      ...a.players.map((p) => ({ ...p, team: 'a', matchId: id })),
      ...b.players.map((p) => ({ ...p, team: 'b', matchId: id })),
    ]);
    const of = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    const seat = <T>(f: (p: (typeof seats)[number]) => T) => seats.map(f);
    const category = (m: NewTeamMatch) =>
      m.category.startsWith('team_') ? m.category : formatCategory(m.category, m.format);
    const out = await sql.rows(
      `WITH m AS (
         INSERT INTO matches (id, tenant_id, source, status, format, pool_key, time_control, mode, variant, category,
           region, white_user_id, black_user_id, white_username, black_username, white_rating, black_rating,
           white_entry_id, black_entry_id, white_wait_ms, black_wait_ms, rating_gap, request_id)
         SELECT u.id, u.tenant_id, 'queue', 'PENDING', u.format, u.pool_key, u.time_control, u.mode, u.variant,
           u.category, u.region, u.wu, u.bu, u.wn, u.bn, u.wr, u.br, u.we, u.be, u.ww, u.bw, u.gap, u.rq
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::int[],
                     $16::text[], $17::text[], $18::int[], $19::int[], $20::int[], $21::text[])
           AS u(id, tenant_id, format, pool_key, time_control, mode, variant, category, region, wu, bu, wn, bn, wr,
                br, we, be, ww, bw, gap, rq)
         RETURNING *
       ), seats AS (
         SELECT * FROM unnest($22::text[], $23::text[], $24::text[], $25::text[], $26::int[], $27::text[],
                              $28::int[], $29::int[], $30::text[])
           AS u(match_id, user_id, username, team, board, color, rating, wait_ms, entry)
       ), players AS (
         INSERT INTO match_players (match_id, tenant_id, user_id, username, team, board, color, rating, wait_ms,
           queue_entry_id, created_at)
         SELECT m.id, m.tenant_id, s.user_id, s.username, s.team, s.board, s.color, s.rating, s.wait_ms, s.entry,
           m.created_at
         FROM seats s JOIN m ON m.id = s.match_id
       ), tickets AS (
         UPDATE queue_entries q SET match_id = m.id, updated_at = now()
         FROM (SELECT DISTINCT match_id, entry FROM seats) t JOIN m ON m.id = t.match_id
         WHERE q.id = t.entry AND q.tenant_id = m.tenant_id
       )
       SELECT ${MATCH_COLUMNS} FROM m`,
      [
        of((r) => r.id),
        of((r) => r.match.tenantId),
        of((r) => r.match.format),
        of((r) => r.match.poolKey),
        of((r) => r.match.timeControl),
        of((r) => r.match.mode),
        of((r) => r.match.variant),
        of((r) => category(r.match)),
        of((r) => r.match.region),
        of((r) => r.a.players[0].userId),
        of((r) => r.b.players[0].userId),
        of((r) => r.a.players[0].username ?? null),
        of((r) => r.b.players[0].username ?? null),
        of((r) => r.a.players[0].rating),
        of((r) => r.b.players[0].rating),
        of((r) => r.a.players[0].ticketId),
        of((r) => r.b.players[0].ticketId),
        of((r) => Math.round(r.a.players[0].waitMs)),
        of((r) => Math.round(r.b.players[0].waitMs)),
        of((r) => Math.round(Math.abs(r.a.rating - r.b.rating))),
        of((r) => r.match.requestId),
        seat((p) => p.matchId),
        seat((p) => p.userId),
        seat((p) => p.username ?? null),
        seat((p) => p.team),
        seat((p) => p.board),
        seat((p) => p.color),
        seat((p) => p.rating),
        seat((p) => Math.round(p.waitMs)),
        seat((p) => p.ticketId),
      ],
    );
    const byId = new Map(out.map((row) => [row.id as string, toMatch(row)]));
    return rows.map((r) => byId.get(r.id)!);
  }

  /** The players of each match (team a first, then by board); a 1v1 match has none. */
  async playersOf(matchIds: string[], sql: Sql = this.db): Promise<Map<string, MatchPlayerRecord[]>> {
    const byMatch = new Map<string, MatchPlayerRecord[]>();
    if (!matchIds.length) return byMatch;
    const rows = await sql.rows(
      `SELECT ${MATCH_PLAYER_COLUMNS} FROM match_players WHERE match_id = ANY($1) ORDER BY match_id, ${MATCH_PLAYER_ORDER}`,
      [matchIds],
    );
    for (const r of rows.map(toMatchPlayer)) byMatch.set(r.matchId, [...(byMatch.get(r.matchId) ?? []), r]);
    return byMatch;
  }

  /** Every player's team rating around a rated result, in the result's transaction. */
  async storeRatings(tx: Sql, matchId: string, moves: TeamRatingMove[]): Promise<void> {
    await tx.count(
      `UPDATE match_players p SET rating_before = u.before, rating_after = u.after
       FROM unnest($2::text[], $3::float8[], $4::float8[]) AS u(user_id, before, after)
       WHERE p.match_id = $1 AND p.user_id = u.user_id`,
      [matchId, moves.map((m) => m.userId), moves.map((m) => m.before), moves.map((m) => m.after)],
    );
  }

  /**
   * Opponent pairs (one player of each team) of team matches whose game was created, or that failed for
   * good, within the cooldown: the team tick keeps them apart as the 1v1 tick does its recent pairs.
   * Up to COOLDOWN_PROBE_MAX_USERS waiting users each one's matches are probed (a match fails within its
   * game-creation attempts or the sweep's PENDING bound, far less than the extra day the index range
   * allows, so the range only keeps a long history out of the scan); above it the tenant's matches of the
   * window are read whole (100,000 users probed took 140–160 ms), which also holds pairs of users who do
   * not wait here: the matcher only asks about pairs of waiting players, so the same pairs are blocked.
   */
  async recentOpponents(tenantId: string, userIds: string[], cooldownSeconds: number): Promise<[string, string][]> {
    if (cooldownSeconds <= 0 || !userIds.length) return [];
    const rows =
      userIds.length > COOLDOWN_PROBE_MAX_USERS
        ? await this.db.rows<{ a: string; b: string }>(RECENT_OPPONENTS_OF_TENANT, [tenantId, cooldownSeconds])
        : await this.db.rows<{ a: string; b: string }>(RECENT_OPPONENTS, [tenantId, cooldownSeconds, userIds]);
    return rows.map((r) => [r.a, r.b]);
  }
}
