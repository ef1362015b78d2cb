import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { GameRecord, ResultPostStatus } from './games.types';
import { SettingsService } from './settings.service';
import { GameResult } from './stub-settings';
import { teamSizeOf } from './team-game.body';

/** Per-attempt timeout for posting a result. */
const POST_TIMEOUT_MS = 5_000;

/** white 45%, black 45%, draw 10%. */
export function randomResult(random: () => number = Math.random): GameResult {
  const r = random();
  return r < 0.45 ? 'white' : r < 0.9 ? 'black' : 'draw';
}

/**
 * The result as the game's kind spells it: a team game ends `a|b|draw`, a 1v1 game `white|black|draw`.
 * A result of the other kind names the same side (team a has white on board 1), so one fixed result
 * serves a mix of 1v1 and team games.
 */
export function resultFor(result: GameResult, teamGame: boolean): GameResult {
  if (teamGame) return result === 'white' ? 'a' : result === 'black' ? 'b' : result;
  return result === 'a' ? 'white' : result === 'b' ? 'black' : result;
}

/** fetch() hides the useful part (ECONNREFUSED, ...) in err.cause. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? ` (${(cause as { code?: string }).code ?? cause.message})` : '';
  return `${err.name}: ${err.message}${detail}`;
}

/** Statuses worth retrying: the receiver may be restarting, overloaded, or not know the game yet. */
function isRetryable(status: number): boolean {
  return status >= 500 || status === 404 || status === 408 || status === 425 || status === 429;
}

/**
 * Finishes games: picks a result and POSTs it to `{result_url}/internal/games/{game_id}/result`
 * with `x-api-key`, retrying with exponential backoff. Never throws; failures are logged.
 */
@Injectable()
export class ResultPoster implements OnApplicationShutdown {
  private readonly logger = new Logger('ResultPoster');
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waits = new Set<() => void>();
  private readonly controllers = new Set<AbortController>();
  /** Bumped by cancelAll(); loops started under an older epoch stop. */
  private epoch = 0;

  constructor(private readonly settings: SettingsService) {}

  schedule(game: GameRecord, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.finish(game);
    }, delayMs);
    this.timers.add(timer);
  }

  /** Decides the result (forced, else fixed_result, else random) and posts it; resolves with the post status. */
  async finish(game: GameRecord, forced?: GameResult | null): Promise<ResultPostStatus> {
    const epoch = this.epoch;
    const s = this.settings.get();
    const result = resultFor(forced ?? s.fixedResult ?? randomResult(), teamSizeOf(game.body) !== null);
    const status: ResultPostStatus = {
      state: 'pending',
      attempts: 0,
      last_status: null,
      last_error: null,
      posted_at: null,
    };
    game.result = result;
    game.finished_at = new Date().toISOString();
    game.result_post = status;

    if (!s.resultUrl) {
      status.state = 'skipped';
      status.last_error = 'no result_url configured';
      this.logger.warn(`game ${game.game_id} finished (${result}) but no result_url is configured; not posted`);
      return status;
    }
    const url = `${s.resultUrl.replace(/\/+$/, '')}/internal/games/${encodeURIComponent(game.game_id)}/result`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (s.resultApiKey !== null) headers['x-api-key'] = s.resultApiKey;
    const payload = JSON.stringify({ result });

    for (let attempt = 1; attempt <= s.resultMaxAttempts; attempt++) {
      if (epoch !== this.epoch) {
        status.state = 'cancelled';
        return status;
      }
      status.attempts = attempt;
      try {
        const response = await this.post(url, headers, payload);
        status.last_status = response;
        if (response >= 200 && response < 300) {
          status.state = 'posted';
          status.last_error = null;
          status.posted_at = new Date().toISOString();
          if (s.log) this.logger.log(`posted result ${result} for game ${game.game_id} (attempt ${attempt})`);
          return status;
        }
        status.last_error = `HTTP ${response}`;
        if (!isRetryable(response)) break;
      } catch (err) {
        if (epoch !== this.epoch) {
          status.state = 'cancelled';
          return status;
        }
        status.last_error = describeError(err);
      }
      if (attempt < s.resultMaxAttempts) {
        this.logger.warn(
          `posting result for game ${game.game_id} failed (attempt ${attempt}: ${status.last_error}); retrying`,
        );
        await this.wait(s.resultRetryBaseMs * 2 ** (attempt - 1));
      }
    }
    status.state = epoch !== this.epoch ? 'cancelled' : 'failed';
    if (status.state === 'failed') {
      this.logger.error(
        `giving up posting result for game ${game.game_id} to ${url} after ${status.attempts} attempt(s): ${status.last_error}`,
      );
    }
    return status;
  }

  /** Cancels scheduled finishes and in-flight posts (used by POST /control/reset and shutdown). */
  cancelAll(): void {
    this.epoch++;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    for (const wake of this.waits) wake();
    this.waits.clear();
  }

  onApplicationShutdown(): void {
    this.cancelAll();
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<number> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(
      () => controller.abort(new Error(`timed out after ${POST_TIMEOUT_MS} ms`)),
      POST_TIMEOUT_MS,
    );
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
  }

  /** A backoff delay that cancelAll() cuts short. */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waits.add(wake);
    });
  }
}
