import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { RedisNotifications } from '../events/redis-notifications';
import { REDIS } from '../infra/redis.module';

/**
 * "Match X settled": the worker that created (or failed) a game publishes the match id; an api
 * replica waiting on a challenge accept wakes up and re-reads PostgreSQL.
 */
@Injectable()
export class MatchSettledEvents extends RedisNotifications {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(redis, `${config.redisKeyPrefix}:match-settled`);
  }
}
