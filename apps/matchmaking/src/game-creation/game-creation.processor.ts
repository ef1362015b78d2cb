import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { MatchesRepository } from '../matching/matches.repository';
import { QUEUES } from '../jobs/job-names';
import { MetricsService } from '../metrics/metrics.service';
import { CreateGameJob } from './game-jobs.service';
import { GameOutcomesService } from './game-outcomes.service';
import { LiveGameClient } from './live-game.client';

/**
 * One job per match. Timeouts, connection errors, 5xx, 408 and 429 are retried by BullMQ with
 * exponential backoff; other 4xx, or the last attempt, fail the match for good.
 */
@Processor(QUEUES.gameCreation, { concurrency: 16, lockDuration: 15_000, stalledInterval: 5_000 })
export class GameCreationProcessor extends WorkerHost {
  private readonly logger = new Logger(GameCreationProcessor.name);

  constructor(
    private readonly matches: MatchesRepository,
    private readonly liveGame: LiveGameClient,
    private readonly outcomes: GameOutcomesService,
    private readonly metrics: MetricsService,
  ) {
    super();
  }

  async process(job: Job<CreateGameJob>): Promise<{ gameId?: string; skipped?: string }> {
    const { matchId, requestId } = job.data;
    const match = await this.matches.beginAttempt(matchId);
    if (!match) return { skipped: 'match is no longer PENDING' };
    const outcome = await this.metrics.timeGameCreation(() => this.liveGame.createGame(match, requestId));
    if (outcome.ok) {
      await this.outcomes.created(matchId, outcome.gameId);
      this.logger.log(
        { match_id: matchId, game_id: outcome.gameId, request_id: requestId, attempt: job.attemptsMade + 1 },
        'game created',
      );
      return { gameId: outcome.gameId };
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { match_id: matchId, request_id: requestId, attempt: job.attemptsMade + 1, error: outcome.error },
      'game creation attempt failed',
    );
    if (!outcome.retryable || lastAttempt) {
      await this.outcomes.failed(matchId, outcome.error);
      throw new UnrecoverableError(outcome.error);
    }
    await this.matches.noteError(matchId, outcome.error);
    throw new Error(outcome.error);
  }
}
