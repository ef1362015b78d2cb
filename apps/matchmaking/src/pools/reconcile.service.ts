import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobSchedulesRepository } from '../jobs/job-schedules.repository';
import { PoolSchedulerService } from './pool-scheduler.service';

/**
 * Redis holds nothing that PostgreSQL cannot rebuild: on start and every few seconds each worker
 * restores missing pool tick schedulers and the sweep scheduler (after FLUSHDB or a Redis restart).
 * A process timer, not a BullMQ job, because a wiped Redis would take such a job with it.
 */
@Injectable()
export class ReconcileService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcileService.name);
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly pools: PoolSchedulerService,
    private readonly schedules: JobSchedulesRepository,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), this.config.reconcileMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.schedules.ensureSweep();
      await this.pools.reconcile();
    } catch (error) {
      this.logger.warn({ err: error }, 'reconcile failed; will retry');
    } finally {
      this.running = false;
    }
  }
}
