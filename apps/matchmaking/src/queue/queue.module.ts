import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { MatchesModule } from '../matches/matches.module';
import { PoolsModule } from '../pools/pools.module';
import { JoinThrottlerGuard } from './join-throttler.guard';
import { QueueEventsController } from './queue-events.controller';
import { QueueController } from './queue.controller';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';

@Module({
  imports: [
    MatchesModule,
    PoolsModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitJoinsPerMinute }],
        storage: new ThrottlerStorageRedisService(redis),
      }),
    }),
  ],
  controllers: [QueueController, QueueEventsController],
  providers: [QueueRepository, QueueService, JoinThrottlerGuard],
  exports: [QueueRepository, QueueService],
})
export class QueueModule {}
