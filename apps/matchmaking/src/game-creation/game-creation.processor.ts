import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AppConfig } from '@app/config';
import { isTeamFormat } from '@app/core';
import { MatchRecord } from '@app/persistence';
import { QUEUES } from '../jobs/job-names';
import { TeamMatchesRepository } from '../matches/team-matches.repository';
import { MetricsService } from '../metrics/metrics.service';
import { CreateGameJob } from '../jobs/game-jobs.repository';
import { GameAttemptsRepository } from './game-attempts.repository';
import { GameOutcomesService } from './game-outcomes.service';
import { CreateGameOutcome, LiveGameClient } from './live-game.client';

/**
 * One job per match. Timeouts, connection errors, 5xx, 408 and 429 are retried by BullMQ with
 * exponential backoff; other 4xx, or the last attempt, fail the match for good.
 *
 * BullMQ renews a running job's lock every lockDuration / 2 while its worker lives, however long the
 * live-game call takes; a dead worker's job is retaken within lockDuration + stalledInterval (~20 s), and
 * the retry sends the same idempotency key (the match id) as every attempt of that match (SPEC §8).
 */
@Processor(QUEUES.gameCreation, { lockDuration: 15_000, stalledInterval: 5_000 })
export class GameCreationProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(GameCreationProcessor.name);

  constructor(
    private readonly attempts: GameAttemptsRepository,
    private readonly liveGame: LiveGameClient,
    private readonly outcomes: GameOutcomesService,
    private readonly teamMatches: TeamMatchesRepository,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.gameCreationConcurrency;
  }

  async process(job: Job<CreateGameJob>): Promise<{ gameId?: string; skipped?: string }> {
    const { matchId, requestId } = job.data;
    const match = await this.attempts.begin(matchId);
    if (!match) return { skipped: 'match is no longer PENDING' };
    const outcome = await this.createGame(match, requestId);
    if (outcome.ok) {
      await this.outcomes.created(matchId, outcome.gameId);
      this.logger.log(
        { match_id: matchId, game_id: outcome.gameId, request_id: requestId, attempt: job.attemptsMade + 1 },
        'game created',
      );
      return { gameId: outcome.gameId };
    }
    // counted on the match, not the job: the sweep may give a match a new job after a PostgreSQL outage
    const lastAttempt =
      job.attemptsMade + 1 >= (job.opts.attempts ?? 1) || match.attempts >= this.config.liveGame.attempts;
    const answered = outcome.unanswered !== true;
    this.logger.warn(
      { match_id: matchId, request_id: requestId, attempt: job.attemptsMade + 1, error: outcome.error },
      'game creation attempt failed',
    );
    if (!outcome.retryable || lastAttempt) {
      await this.outcomes.failed(matchId, outcome.error, answered);
      throw new UnrecoverableError(outcome.error);
    }
    await this.attempts.noteError(matchId, outcome.error, answered);
    throw new Error(outcome.error);
  }

  private async createGame(match: MatchRecord, requestId: string | null): Promise<CreateGameOutcome> {
    const players = isTeamFormat(match.format)
      ? ((await this.teamMatches.playersOf([match.id])).get(match.id) ?? [])
      : [];
    const started = performance.now();
    const outcome = await this.liveGame.createGame(match, requestId, players);
    const label = outcome.ok ? 'created' : outcome.retryable ? 'retryable_error' : 'error';
    this.metrics.observeGameCreation(label, (performance.now() - started) / 1000);
    return outcome;
  }
}
