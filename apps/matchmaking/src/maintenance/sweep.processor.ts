import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { QueueService } from '../queue/queue.service';
import { JOBS, QUEUES, SWEEP_SCHEDULER_ID } from '../jobs/job-names';

/** The periodic sweep: queue timeouts now; challenge expiry and stuck matches join it later. */
@Processor(QUEUES.maintenance)
export class SweepProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SweepProcessor.name);

  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    private readonly queue: QueueService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: this.config.timeoutSweepMs }, { name: JOBS.sweep });
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JOBS.sweep) return undefined;
    const timedOut = await this.queue.timeOutExpired();
    if (timedOut.length) this.logger.log({ timed_out: timedOut.length }, 'queue entries timed out');
    return { timedOut: timedOut.length };
  }
}
