import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { JoinCounterService } from './join-counter.service';
import { RATE_WINDOW_MS, THROTTLERS } from './user-throttler.guard';

/** Per-user request limits kept in Redis (@nestjs/throttler), shared by every replica. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [
          { name: THROTTLERS.joins, ttl: RATE_WINDOW_MS, limit: config.rateLimitJoinsPerMinute },
          { name: THROTTLERS.challenges, ttl: RATE_WINDOW_MS, limit: config.rateLimitChallengesPerMinute },
        ],
        storage: new ThrottlerStorageRedisService(redis),
      }),
    }),
  ],
  providers: [JoinCounterService],
  exports: [JoinCounterService],
})
export class RateLimitModule {}
