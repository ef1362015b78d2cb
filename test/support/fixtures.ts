import { DataSource } from 'typeorm';
import { challengeApi, playerApi } from './api';
import { StubbedService, useStubbedService } from './stub';

/** How long an accept waits for the game in the challenge tests: short, so a slow live-game API shows. */
export const ACCEPT_WAIT_MS = 1500;
export const CHALLENGE_TTL_SECONDS = 300;

/** The service of the challenge tests. */
export const CHALLENGE_ENV: Record<string, string> = {
  LIVE_GAME_API_TIMEOUT_MS: '8000',
  CHALLENGE_TTL_SECONDS: String(CHALLENGE_TTL_SECONDS),
  ACCEPT_WAIT_MS: String(ACCEPT_WAIT_MS),
  GAME_CREATE_ATTEMPTS: '2',
  GAME_CREATE_BACKOFF_MS: '50',
};

/** The service of the matching tests: a window that widens every second, short fallback and cooldown. */
export const MATCHING_ENV: Record<string, string> = {
  RATING_WINDOW_INITIAL: '100',
  RATING_WINDOW_STEP: '25',
  RATING_WINDOW_STEP_SECONDS: '1',
  REGION_FALLBACK_SECONDS: '2',
  REMATCH_COOLDOWN_SECONDS: '3',
  GAME_CREATE_ATTEMPTS: '3',
  GAME_CREATE_BACKOFF_MS: '50',
  ACTIVE_GAME_CHECK: 'false',
};

/** The challenge tests' service wired to a stub of its own, and the calls of named players on it. */
export const useChallengeService = (onStart: (started: StubbedService) => unknown) =>
  challengeApi(useStubbedService(CHALLENGE_ENV, onStart), { named: true });

/** The matching tests' service wired to a stub of its own, and the calls of named players on it. */
export const useMatchingService = (onStart: (started: StubbedService) => unknown) =>
  playerApi(useStubbedService(MATCHING_ENV, onStart), { named: true });

export interface MatchFixture {
  tenant: string;
  /** User ids; by default derived from the match id. */
  white?: string;
  black?: string;
  status?: 'CREATED' | 'PENDING' | 'FAILED';
  source?: 'queue' | 'challenge';
  timeControl?: string;
  mode?: string;
  variant?: string;
  category?: string;
  region?: string | null;
  whiteRating?: number;
  blackRating?: number;
  whiteWaitMs?: number;
  blackWaitMs?: number;
  /** Store the upper-cased user ids as the usernames (else none). */
  named?: boolean;
  attempts?: number;
  createdAgoSeconds?: number;
  /** Null: no game yet. By default a CREATED match's game was created just now. */
  gameCreatedAgoSeconds?: number | null;
}

let matchSeq = 0;

/** A match row as the pairing and game-creation jobs leave it; a CREATED one has game id `g_<match id>`. */
export async function insertMatch(
  db: DataSource,
  m: MatchFixture,
): Promise<{ matchId: string; gameId: string | null }> {
  const matchId = `m_${m.tenant}_${matchSeq++}`;
  const status = m.status ?? 'CREATED';
  const timeControl = m.timeControl ?? '5+0';
  const mode = m.mode ?? 'rated';
  const variant = m.variant ?? 'standard';
  const white = m.white ?? `w${matchId}`;
  const black = m.black ?? `b${matchId}`;
  const gameId = status === 'CREATED' ? `g_${matchId}` : null;
  const gameAgo = m.gameCreatedAgoSeconds === undefined ? (gameId ? 0 : null) : m.gameCreatedAgoSeconds;
  await db.query(
    `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category, region,
       white_user_id, black_user_id, white_username, black_username, white_rating, black_rating, white_wait_ms,
       black_wait_ms, rating_gap, game_id, attempts, created_at, game_created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, abs($15::int - $16::int),
       $19, $20, now() - make_interval(secs => $21),
       CASE WHEN $22::int IS NOT NULL THEN now() - make_interval(secs => $22::int) END)`,
    [
      matchId,
      m.tenant,
      m.source ?? 'queue',
      status,
      `${variant}_${timeControl}_${mode}`,
      timeControl,
      mode,
      variant,
      m.category ?? 'blitz',
      m.region ?? null,
      white,
      black,
      m.named ? white.toUpperCase() : null,
      m.named ? black.toUpperCase() : null,
      m.whiteRating ?? 1500,
      m.blackRating ?? 1500,
      m.whiteWaitMs ?? 0,
      m.blackWaitMs ?? 0,
      gameId,
      m.attempts ?? 0,
      m.createdAgoSeconds ?? 0,
      gameAgo,
    ],
  );
  return { matchId, gameId };
}

export interface SearchingSeed {
  user: string;
  rating: number;
  /** how long ago the entry was enqueued (default 0) */
  waitedSeconds?: number;
}

/**
 * Rated standard SEARCHING entries written straight into the table, ids `${prefix}_${tenant}_${user}`: no join,
 * so no tick is asked for their pool and only what the test does next starts one.
 */
export async function insertSearching(
  db: DataSource,
  tenant: string,
  prefix: string,
  timeControl: string,
  seeds: SearchingSeed[],
  category = 'blitz',
): Promise<void> {
  await db.query(
    `INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
       rating, status, enqueued_at, expires_at)
     SELECT $2 || '_' || $1 || '_' || u, $1, u, upper(u), 'standard_' || $3 || '_rated', $3, 'rated', 'standard', $4,
            r, 'SEARCHING', now() - make_interval(secs => a), now() + interval '1 hour'
     FROM unnest($5::text[], $6::int[], $7::int[]) AS x(u, r, a)`,
    [
      tenant,
      prefix,
      timeControl,
      category,
      seeds.map((s) => s.user),
      seeds.map((s) => s.rating),
      seeds.map((s) => s.waitedSeconds ?? 0),
    ],
  );
}
