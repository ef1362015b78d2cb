import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@app/config';
import { JOBS, QUEUES } from '../jobs/job-names';
import { JobSchedulesRepository, PoolRef, TickShardJob } from '../jobs/job-schedules.repository';
import { PoolSchedulerService } from '../pools/pool-scheduler.service';
import { ShardTickerService } from './shard-ticker.service';

/**
 * The shards' tick jobs. Every shard can run at once on one worker (its pool ticks share the
 * worker's MATCH_TICK_CONCURRENCY); with more workers, BullMQ hands each shard's runs to any of them.
 */
@Processor(QUEUES.matching)
export class MatchingTickProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly ticker: ShardTickerService,
    private readonly pools: PoolSchedulerService,
    private readonly schedules: JobSchedulesRepository,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.tickShards;
  }

  async process(job: Job<TickShardJob | PoolRef>) {
    if (job.name === JOBS.tickShard) return this.ticker.tickShard((job.data as TickShardJob).shard);
    if (job.name !== JOBS.tick) return undefined;
    // A per-pool scheduler left by an older release: the pool moves to its shard.
    if (job.repeatJobKey) await this.schedules.removeScheduler(job.repeatJobKey);
    await this.pools.ensure(job.data as PoolRef);
    return { movedToShard: this.schedules.shardOf(job.data as PoolRef) };
  }
}
