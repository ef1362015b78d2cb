/** The `POST /v1/games` body and its validation (hand-written so every bad field gets a precise message). */
import { TeamGameBody, teamSizeOf, validateTeamGameBody } from './team-game.body';

export const MATCHMAKING_SOURCES = ['queue', 'challenge'] as const;

export interface OneVsOneGameBody {
  match_id: string;
  tenant_id: string;
  white_player_id: string;
  black_player_id: string;
  time_control: string | Record<string, unknown>;
  mode: string;
  variant: string;
  rating_snapshot: { white: number; black: number };
  metadata: { matchmaking_source: (typeof MATCHMAKING_SOURCES)[number]; region?: string | null };
  [extra: string]: unknown;
}

/** A 1v1 body (§8), or a team body (§12) when `format` is `NvN` with N ≥ 2. */
export type CreateGameBody = OneVsOneGameBody | TeamGameBody;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Returns the list of problems (empty when the body is acceptable). */
export function validateCreateGameBody(body: unknown): string[] {
  if (!isObject(body)) return ['body must be a JSON object'];
  const size = teamSizeOf(body);
  if (body.format !== undefined && body.format !== '1v1' && size === null) {
    return ['format must be "1v1" or "NvN" with 2 <= N <= 9'];
  }
  const problems = size === null ? playerProblems(body) : validateTeamGameBody(body, size);
  if (!isText(body.time_control) && !isObject(body.time_control)) {
    problems.push('time_control must be a non-empty string or an object');
  }
  return [...problems, ...metadataProblems(body.metadata)];
}

function playerProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of ['match_id', 'tenant_id', 'white_player_id', 'black_player_id', 'mode', 'variant']) {
    if (!isText(body[field])) problems.push(`${field} must be a non-empty string`);
  }
  if (isText(body.white_player_id) && body.white_player_id === body.black_player_id) {
    problems.push('white_player_id and black_player_id must differ');
  }
  const rating = body.rating_snapshot;
  if (!isObject(rating)) {
    problems.push('rating_snapshot must be an object {white, black}');
  } else {
    for (const side of ['white', 'black']) {
      if (typeof rating[side] !== 'number' || !Number.isFinite(rating[side])) {
        problems.push(`rating_snapshot.${side} must be a number`);
      }
    }
  }
  return problems;
}

function metadataProblems(metadata: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(metadata)) {
    problems.push('metadata must be an object {matchmaking_source, region}');
  } else {
    if (!(MATCHMAKING_SOURCES as readonly unknown[]).includes(metadata.matchmaking_source)) {
      problems.push(`metadata.matchmaking_source must be one of ${MATCHMAKING_SOURCES.join(', ')}`);
    }
    if (metadata.region !== undefined && metadata.region !== null && typeof metadata.region !== 'string') {
      problems.push('metadata.region must be a string');
    }
  }
  return problems;
}
