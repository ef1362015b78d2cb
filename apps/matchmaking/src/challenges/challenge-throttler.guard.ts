import { Injectable } from '@nestjs/common';
import { THROTTLERS, UserThrottlerGuard } from '../rate-limit/user-throttler.guard';

/** RATE_LIMIT_CHALLENGES_PER_MINUTE: every `POST /challenges` of a user counts, across replicas. */
@Injectable()
export class ChallengeThrottlerGuard extends UserThrottlerGuard {
  protected readonly throttlerName = THROTTLERS.challenges;
  protected readonly counted = 'challenges';
}
