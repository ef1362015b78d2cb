import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { redisOptions } from './redis';

export const REDIS = Symbol('REDIS');

/** One warning when Redis goes away and one when it is back, instead of ioredis' unhandled-error lines. */
function logOutages(redis: Redis): Redis {
  const logger = new Logger('Redis');
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, 'Redis unreachable; requests that need it answer 503 until it is back');
  });
  redis.on('ready', () => {
    if (down) logger.log('Redis reachable again');
    down = false;
  });
  return redis;
}

/**
 * The shared command client (rate limits, pub/sub publishing, markers). It fails fast when Redis is
 * gone so that requests answer 503 instead of hanging; BullMQ keeps connections of its own.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        logOutages(
          new Redis({
            ...redisOptions(config.redisUrl),
            maxRetriesPerRequest: 1,
            commandTimeout: 2000,
            connectTimeout: 2000,
            retryStrategy: (times) => Math.min(times * 100, 1000),
          }),
        ),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
