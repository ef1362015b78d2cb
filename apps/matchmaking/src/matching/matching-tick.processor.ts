import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JOBS, QUEUES } from '../jobs/job-names';
import { MatchingService } from './matching.service';
import { PoolRef } from './pool-scheduler.service';

/** Ticks of different pools run side by side and spread over worker replicas. */
@Processor(QUEUES.matching, { concurrency: 4 })
export class MatchingTickProcessor extends WorkerHost {
  constructor(private readonly matching: MatchingService) {
    super();
  }

  async process(job: Job<PoolRef>) {
    if (job.name !== JOBS.tick) return undefined;
    const outcome = await this.matching.tick(job.data);
    return { waiting: outcome.waiting, claimed: outcome.claimed, skipped: outcome.skipped };
  }
}
