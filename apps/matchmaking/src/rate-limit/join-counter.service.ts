import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import { RATE_WINDOW_MS, THROTTLERS, userThrottleKey } from './user-throttler.guard';

export interface OverLimit {
  userId: string;
  retryAfterSeconds: number;
}

/**
 * A party ticket is a join of every member (SPEC §12): the leader's counts through JoinThrottlerGuard,
 * and this counts the others' on the very counters the guard uses, so each member's limit holds.
 */
@Injectable()
export class JoinCounterService {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Counts one join for each user; answers the first one over the limit, if any. */
  async count(tenantId: string, userIds: string[]): Promise<OverLimit | null> {
    let over: OverLimit | null = null;
    for (const userId of userIds) {
      const key = userThrottleKey(this.config.redisKeyPrefix, 'joins', THROTTLERS.joins, tenantId, userId);
      const hit = await this.storage.increment(
        key,
        RATE_WINDOW_MS,
        this.config.rateLimitJoinsPerMinute,
        RATE_WINDOW_MS,
        THROTTLERS.joins,
      );
      if (hit.isBlocked && !over) over = { userId, retryAfterSeconds: hit.timeToBlockExpire };
    }
    return over;
  }
}
