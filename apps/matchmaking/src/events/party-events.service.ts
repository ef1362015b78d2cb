import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';
import { RedisNotifications } from './redis-notifications';

/** "Party X changed" (members, leader, status): feeds the party event streams open on every replica. */
@Injectable()
export class PartyEventsService extends RedisNotifications {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(redis, `${config.redisKeyPrefix}:party-events`);
  }
}
