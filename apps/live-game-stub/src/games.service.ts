import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateGameBody, validateCreateGameBody } from './create-game.body';
import { GameRecord, GameRequestRecord, GamesAnswer, RequestOutcome } from './games.types';
import { ResultPoster } from './result-poster';
import { SettingsService } from './settings.service';

export interface CreateGameInput {
  idempotencyKey: string | null;
  authorization: string | null;
  body: unknown;
}

/** Keep memory bounded when the stub runs for a long time in development. */
const MAX_REQUEST_RECORDS = 10_000;

export function newGameId(): string {
  return `g_${randomBytes(10).toString('hex')}`;
}

@Injectable()
export class GamesService {
  private requests: GameRequestRecord[] = [];
  private seq = 0;
  /** Created games by idempotency key (= match_id). */
  private readonly games = new Map<string, GameRecord>();
  /** Creations still waiting out their latency; concurrent duplicates await these. */
  private readonly inFlight = new Map<string, Promise<GameRecord>>();

  constructor(
    private readonly settings: SettingsService,
    private readonly resultPoster: ResultPoster,
  ) {}

  async createGame(input: CreateGameInput): Promise<GamesAnswer> {
    const s = this.settings.get();
    const record = this.addRecord(input);
    const latency = s.latencyMs;

    const early = this.precheck(input);
    if (early) {
      if (latency > 0) await sleep(latency);
      return this.answer(record, early.outcome, early.answer);
    }

    const key = input.idempotencyKey as string;
    const existing = this.games.get(key);
    if (existing) {
      if (latency > 0) await sleep(latency);
      return this.replay(record, existing);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      const [game] = await Promise.all([pending, latency > 0 ? sleep(latency) : undefined]);
      return this.replay(record, game);
    }

    const creation = this.create(key, input.body as CreateGameBody, latency);
    this.inFlight.set(key, creation);
    try {
      const game = await creation;
      return this.answer(
        record,
        'created',
        { kind: 'reply', status: 201, body: { game_id: game.game_id } },
        game.game_id,
      );
    } finally {
      if (this.inFlight.get(key) === creation) this.inFlight.delete(key);
    }
  }

  listRequests(idempotencyKey?: string): GameRequestRecord[] {
    return idempotencyKey === undefined
      ? this.requests
      : this.requests.filter((r) => r.idempotency_key === idempotencyKey);
  }

  listGames(): GameRecord[] {
    return [...this.games.values()];
  }

  findGame(gameId: string): GameRecord | undefined {
    return this.listGames().find((g) => g.game_id === gameId);
  }

  /** Forgets requests and games and cancels pending result posts (settings are reset by SettingsService). */
  clear(): void {
    this.requests = [];
    this.seq = 0;
    this.games.clear();
    this.inFlight.clear();
    this.resultPoster.cancelAll();
  }

  /** Decides the answers that do not create a game: down, auth, validation, injected failure. */
  private precheck(input: CreateGameInput): { outcome: RequestOutcome; answer: GamesAnswer } | null {
    const s = this.settings.get();
    const reply = (status: number, error: string): GamesAnswer => ({ kind: 'reply', status, body: { error } });

    if (s.down) {
      return s.downMode === 'reset'
        ? { outcome: 'reset', answer: { kind: 'reset' } }
        : { outcome: 'down', answer: reply(503, 'live-game service unavailable (stub is down)') };
    }
    if (s.requiredToken !== null && input.authorization !== `Bearer ${s.requiredToken}`) {
      return { outcome: 'unauthorized', answer: reply(401, 'missing or invalid bearer token') };
    }
    if (!input.idempotencyKey) {
      return { outcome: 'bad_request', answer: reply(400, 'Idempotency-Key header is required') };
    }
    const problems = validateCreateGameBody(input.body);
    if (problems.length > 0) {
      return { outcome: 'bad_request', answer: reply(400, problems.join('; ')) };
    }
    const matchId = (input.body as CreateGameBody).match_id;
    if (matchId !== input.idempotencyKey) {
      return {
        outcome: 'bad_request',
        answer: reply(400, `Idempotency-Key "${input.idempotencyKey}" must equal match_id "${matchId}"`),
      };
    }
    const failStatus = this.settings.takeFailNext() ?? (Math.random() < s.failureRate ? s.failureStatus : null);
    if (failStatus !== null) {
      return { outcome: 'injected_failure', answer: reply(failStatus, `injected failure (status ${failStatus})`) };
    }
    return null;
  }

  private async create(key: string, body: CreateGameBody, latency: number): Promise<GameRecord> {
    if (latency > 0) await sleep(latency);
    const game: GameRecord = {
      game_id: newGameId(),
      match_id: body.match_id,
      tenant_id: body.tenant_id,
      body,
      created_at: new Date().toISOString(),
      result: null,
      finished_at: null,
      result_post: null,
    };
    this.games.set(key, game);
    const finishAfterMs = this.settings.get().finishAfterMs;
    if (finishAfterMs > 0) this.resultPoster.schedule(game, finishAfterMs);
    return game;
  }

  private replay(record: GameRequestRecord, game: GameRecord): GamesAnswer {
    return this.answer(
      record,
      'replayed',
      { kind: 'reply', status: 200, body: { game_id: game.game_id }, replayed: true },
      game.game_id,
    );
  }

  private answer(
    record: GameRequestRecord,
    outcome: RequestOutcome,
    answer: GamesAnswer,
    gameId: string | null = null,
  ): GamesAnswer {
    record.outcome = outcome;
    record.status_returned = answer.kind === 'reply' ? answer.status : null;
    record.game_id = gameId;
    record.answered_at = new Date().toISOString();
    return answer;
  }

  private addRecord(input: CreateGameInput): GameRequestRecord {
    const record: GameRequestRecord = {
      seq: ++this.seq,
      received_at: new Date().toISOString(),
      idempotency_key: input.idempotencyKey,
      authorization: input.authorization,
      body: input.body,
      status_returned: null,
      game_id: null,
      outcome: null,
      answered_at: null,
    };
    this.requests.push(record);
    if (this.requests.length > MAX_REQUEST_RECORDS) this.requests.splice(0, this.requests.length - MAX_REQUEST_RECORDS);
    return record;
  }
}
