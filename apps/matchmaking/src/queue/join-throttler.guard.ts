import { Injectable } from '@nestjs/common';
import { THROTTLERS, UserThrottlerGuard } from '../rate-limit/user-throttler.guard';

/** RATE_LIMIT_JOINS_PER_MINUTE: every `POST /queue` of a user counts, across replicas. */
@Injectable()
export class JoinThrottlerGuard extends UserThrottlerGuard {
  protected readonly throttlerName = THROTTLERS.joins;
  protected readonly counted = 'joins';
}
