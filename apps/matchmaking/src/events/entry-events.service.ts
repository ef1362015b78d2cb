import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { RedisNotifications } from './redis-notifications';

/** "Queue entry X changed": feeds the event streams open on every replica. */
@Injectable()
export class EntryEventsService extends RedisNotifications {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(redis, `${config.redisKeyPrefix}:entry-events`);
  }
}
