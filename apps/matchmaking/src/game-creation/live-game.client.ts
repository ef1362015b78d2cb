import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { isTeamFormat } from '@app/core';
import { MatchPlayerRecord, MatchRecord } from '@app/persistence';

/** `unanswered`: the call timed out or lost its connection, so the live-game API may have created the game. */
export type CreateGameOutcome =
  | { ok: true; gameId: string; status: number }
  | { ok: false; retryable: boolean; error: string; status?: number; unanswered?: boolean };

const RETRYABLE_STATUS = (status: number) => status >= 500 || status === 408 || status === 429;

/** The external live-game API: `POST /v1/games`, idempotent by match id. */
@Injectable()
export class LiveGameClient {
  constructor(private readonly config: AppConfig) {}

  /** The §8 body of a 1v1 match, or the §12 body of a team match (its players from match_players). */
  requestBody(match: MatchRecord, players: readonly MatchPlayerRecord[] = []): Record<string, unknown> {
    if (isTeamFormat(match.format)) return teamRequestBody(match, players);
    return {
      match_id: match.id,
      tenant_id: match.tenantId,
      white_player_id: match.whiteUserId,
      black_player_id: match.blackUserId,
      time_control: match.timeControl,
      mode: match.mode,
      variant: match.variant,
      rating_snapshot: { white: match.whiteRating, black: match.blackRating },
      metadata: { matchmaking_source: match.source, region: match.region },
    };
  }

  async createGame(
    match: MatchRecord,
    requestId: string | null,
    players: readonly MatchPlayerRecord[] = [],
  ): Promise<CreateGameOutcome> {
    const { url, token, timeoutMs } = this.config.liveGame;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': match.id };
    if (token) headers.authorization = `Bearer ${token}`;
    if (requestId) headers['x-request-id'] = requestId;
    let res: Response;
    try {
      res = await fetch(`${url}/v1/games`, {
        method: 'POST',
        headers,
        body: JSON.stringify(this.requestBody(match, players)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      const why =
        name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : describe(error);
      return { ok: false, retryable: true, unanswered: true, error: `live-game API unreachable: ${why}` };
    }
    const text = await res.text().catch(() => '');
    if (res.status === 200 || res.status === 201) {
      const gameId = safeJson(text)?.game_id;
      if (typeof gameId === 'string' && gameId.length > 0 && gameId.length <= 200)
        return { ok: true, gameId, status: res.status };
      return { ok: false, retryable: true, status: res.status, error: 'live-game API answered without a game_id' };
    }
    return {
      ok: false,
      retryable: RETRYABLE_STATUS(res.status),
      status: res.status,
      error: `live-game API answered ${res.status}: ${text.slice(0, 200)}`,
    };
  }
}

function teamRequestBody(match: MatchRecord, players: readonly MatchPlayerRecord[]): Record<string, unknown> {
  const team = (name: 'a' | 'b') => ({
    team: name,
    players: players
      .filter((p) => p.team === name)
      .sort((x, y) => x.board - y.board)
      .map((p) => ({ user_id: p.userId, board: p.board, color: p.color })),
  });
  return {
    match_id: match.id,
    tenant_id: match.tenantId,
    format: match.format,
    time_control: match.timeControl,
    mode: match.mode,
    variant: match.variant,
    teams: [team('a'), team('b')],
    rating_snapshot: Object.fromEntries(players.map((p) => [p.userId, p.rating])),
    metadata: { matchmaking_source: match.source, region: match.region },
  };
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
