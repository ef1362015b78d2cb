import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { gameJobId, JOBS, QUEUES } from './job-names';

export interface CreateGameJob {
  matchId: string;
  requestId: string | null;
}

/** Fans out one game-creation job per match; the job id is the match's, so a repeat adds nothing. */
@Injectable()
export class GameJobsRepository {
  constructor(
    @InjectQueue(QUEUES.gameCreation) private readonly games: Queue<CreateGameJob>,
    private readonly config: AppConfig,
  ) {}

  async enqueue(jobs: CreateGameJob[]): Promise<void> {
    if (!jobs.length) return;
    await this.games.addBulk(
      jobs.map((data) => ({
        name: JOBS.createGame,
        data,
        opts: {
          jobId: gameJobId(data.matchId),
          attempts: this.config.liveGame.attempts,
          backoff: { type: 'exponential', delay: this.config.liveGame.backoffMs },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 24 * 3600 },
        },
      })),
    );
  }

  async state(matchId: string): Promise<string | null> {
    const job = await this.games.getJob(gameJobId(matchId));
    return job ? String(await job.getState()) : null;
  }

  /** A finished job keeps its id, which would make a re-enqueue a no-op: remove it first. */
  async replace(job: CreateGameJob): Promise<void> {
    await (await this.games.getJob(gameJobId(job.matchId)))?.remove();
    await this.enqueue([job]);
  }
}
