import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { GameJobsRepository } from './game-jobs.repository';
import { bullPrefix, QUEUES } from './job-names';
import { JobSchedulesRepository } from './job-schedules.repository';

const queues = Object.values(QUEUES).map((name) => ({ name }));

/** BullMQ: the queues, and the repositories that are the only code adding jobs or schedulers to them. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.redisUrl, maxRetriesPerRequest: null },
        prefix: bullPrefix(config.redisKeyPrefix),
        defaultJobOptions: { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 24 * 3600 } },
      }),
    }),
    BullModule.registerQueue(...queues),
  ],
  providers: [GameJobsRepository, JobSchedulesRepository],
  exports: [BullModule, GameJobsRepository, JobSchedulesRepository],
})
export class JobsModule {}
