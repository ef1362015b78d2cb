import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { JOBS, QUEUES, SWEEP_SCHEDULER_ID } from '../jobs/job-names';
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
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  get intervalMs(): number {
    return Math.min(5000, Math.max(1000, this.config.matchTickMs * 10));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.ensureSweep();
      await this.pools.reconcile();
    } catch (error) {
      this.logger.warn({ err: error }, 'reconcile failed; will retry');
    } finally {
      this.running = false;
    }
  }

  private async ensureSweep(): Promise<void> {
    const marker = `${this.config.redisKeyPrefix}:sweep-scheduled`;
    if (await this.redis.exists(marker)) return;
    await this.maintenance.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: this.config.timeoutSweepMs },
      { name: JOBS.sweep },
    );
    await this.redis.set(marker, '1', 'PX', 60_000);
  }
}
