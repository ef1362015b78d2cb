import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@app/config';
import { JOBS, QUEUES } from '../jobs/job-names';
import { MatchingService } from './matching.service';
import type { PoolRef } from '../jobs/job-schedules.repository';

/** Ticks of different pools run side by side and spread over worker replicas. */
@Processor(QUEUES.matching)
export class MatchingTickProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly matching: MatchingService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.tickConcurrency;
  }

  async process(job: Job<PoolRef>) {
    if (job.name !== JOBS.tick) return undefined;
    const outcome = await this.matching.tick(job.data);
    return { waiting: outcome.waiting, claimed: outcome.claimed, skipped: outcome.skipped };
  }
}
