/** The team `POST /v1/games` body (SPEC §12) and its validation, beside the 1v1 one. */

export interface TeamGameBody {
  match_id: string;
  tenant_id: string;
  format: string;
  time_control: string | Record<string, unknown>;
  mode: string;
  variant: string;
  teams: { team: 'a' | 'b'; players: { user_id: string; board: number; color: 'white' | 'black' }[] }[];
  rating_snapshot: Record<string, number>;
  metadata: { matchmaking_source: string; region?: string | null };
  [extra: string]: unknown;
}

const TEAM_FORMAT = /^([2-9])v\1$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Players per team of a team format (`2v2` → 2), else null (a 1v1 body has no format, or `1v1`). */
export function teamSizeOf(body: unknown): number | null {
  if (!isObject(body) || typeof body.format !== 'string') return null;
  const m = TEAM_FORMAT.exec(body.format);
  return m ? Number(m[1]) : null;
}

/** The colour of a board: team a has white on odd boards, team b on even ones. */
const colorOf = (team: string, board: number) => ((team === 'a') === (board % 2 === 1) ? 'white' : 'black');

function teamProblems(team: unknown, i: number, size: number, seen: Set<string>): string[] {
  const where = `teams[${i}]`;
  if (!isObject(team)) return [`${where} must be an object {team, players}`];
  const expected = i === 0 ? 'a' : 'b';
  const problems = team.team === expected ? [] : [`${where}.team must be "${expected}"`];
  if (!Array.isArray(team.players) || team.players.length !== size) {
    return [...problems, `${where}.players must list ${size} players`];
  }
  team.players.forEach((p: unknown, j: number) => {
    const at = `${where}.players[${j}]`;
    if (!isObject(p) || !isText(p.user_id)) return problems.push(`${at}.user_id must be a non-empty string`);
    if (seen.has(p.user_id)) problems.push(`${at}.user_id "${p.user_id}" plays twice`);
    seen.add(p.user_id);
    if (p.board !== j + 1) problems.push(`${at}.board must be ${j + 1}`);
    if (p.color !== colorOf(expected, j + 1)) problems.push(`${at}.color must be ${colorOf(expected, j + 1)}`);
  });
  return problems;
}

/** The problems of a team body whose format says `size` players per team (empty when acceptable). */
export function validateTeamGameBody(body: Record<string, unknown>, size: number): string[] {
  const problems: string[] = [];
  for (const field of ['match_id', 'tenant_id', 'mode', 'variant']) {
    if (!isText(body[field])) problems.push(`${field} must be a non-empty string`);
  }
  for (const field of ['white_player_id', 'black_player_id']) {
    if (field in body) problems.push(`${field} is not part of a team game body`);
  }
  const seen = new Set<string>();
  if (!Array.isArray(body.teams) || body.teams.length !== 2) {
    problems.push('teams must list two teams, a then b');
  } else {
    body.teams.forEach((t: unknown, i: number) => problems.push(...teamProblems(t, i, size, seen)));
  }
  const snapshot = body.rating_snapshot;
  if (!isObject(snapshot)) {
    problems.push('rating_snapshot must be an object {user_id: rating}');
  } else {
    for (const userId of seen) {
      if (typeof snapshot[userId] !== 'number' || !Number.isFinite(snapshot[userId])) {
        problems.push(`rating_snapshot.${userId} must be a number`);
      }
    }
    for (const key of Object.keys(snapshot)) {
      if (!seen.has(key)) problems.push(`rating_snapshot.${key} is not a player of the game`);
    }
  }
  return problems;
}
