import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { REDIS } from '../infra/redis.module';
import { QUEUES } from '../jobs/job-names';

/** The cheapest call each dependency answers, for readiness. */
@Injectable()
export class DependenciesRepository {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QUEUES.matching) private readonly matching: Queue,
  ) {}

  async pingRedis(): Promise<void> {
    await this.redis.ping();
  }

  /** BullMQ answers on its own connection, which workers need even when the shared client is fine. */
  async pingBullmq(): Promise<void> {
    await this.matching.count();
  }
}
