import { GameResult } from './stub-settings';

/** What happened to one `POST /v1/games` request. */
export type RequestOutcome =
  'created' | 'replayed' | 'down' | 'reset' | 'unauthorized' | 'bad_request' | 'injected_failure';

/** One received `POST /v1/games` request, as listed by `GET /control/requests`. */
export interface GameRequestRecord {
  seq: number;
  received_at: string;
  idempotency_key: string | null;
  authorization: string | null;
  body: unknown;
  /** null while in flight, and for connections reset by the 'reset' down mode. */
  status_returned: number | null;
  game_id: string | null;
  outcome: RequestOutcome | null;
  answered_at: string | null;
}

export type ResultPostState = 'pending' | 'posted' | 'failed' | 'skipped' | 'cancelled';

export interface ResultPostStatus {
  state: ResultPostState;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  posted_at: string | null;
}

/** One created game, as listed by `GET /control/games`. */
export interface GameRecord {
  game_id: string;
  match_id: string;
  tenant_id: string;
  body: unknown;
  created_at: string;
  /** null until the game finishes (after finish_after_ms, or via POST /control/games/:id/finish). */
  result: GameResult | null;
  finished_at: string | null;
  result_post: ResultPostStatus | null;
}

/** What the games controller must do with the HTTP exchange. */
export type GamesAnswer =
  { kind: 'reply'; status: number; body: Record<string, unknown>; replayed?: boolean } | { kind: 'reset' };
