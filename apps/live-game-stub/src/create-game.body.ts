/** The `POST /v1/games` body and its validation (hand-written so every bad field gets a precise message). */

export const MATCHMAKING_SOURCES = ['queue', 'challenge'] as const;

export interface CreateGameBody {
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Returns the list of problems (empty when the body is acceptable). */
export function validateCreateGameBody(body: unknown): string[] {
  if (!isObject(body)) return ['body must be a JSON object'];
  const problems: string[] = [];
  for (const field of ['match_id', 'tenant_id', 'white_player_id', 'black_player_id', 'mode', 'variant']) {
    if (!isText(body[field])) problems.push(`${field} must be a non-empty string`);
  }
  if (isText(body.white_player_id) && body.white_player_id === body.black_player_id) {
    problems.push('white_player_id and black_player_id must differ');
  }
  if (!isText(body.time_control) && !isObject(body.time_control)) {
    problems.push('time_control must be a non-empty string or an object');
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
  const metadata = body.metadata;
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
