import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import { Principal } from '../auth/principal';
import { RateLimitedException } from '../common/problem';

/** The named throttlers of RateLimitModule; each guard applies only its own. */
export const THROTTLERS = { joins: 'default', challenges: 'challenges' } as const;
export const RATE_WINDOW_MS = 60_000;

const trackerOf = (tenantId: string, userId: string) => `${tenantId}|${userId}`;

/** The Redis key of one user's count under one throttler, as the guard makes it; `counted` is "joins" or "challenges". */
export const userThrottleKey = (prefix: string, counted: string, throttler: string, tenantId: string, userId: string) =>
  `${prefix}:rl:${counted}:${throttler}:${trackerOf(tenantId, userId)}`;

/**
 * Requests per user per minute of one throttler, counted in Redis so every replica sees the same
 * number; the guard runs before validation, so every request counts, whatever its outcome.
 */
@Injectable()
export abstract class UserThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;
  /** The key segment and the wording of the 429 ("joins", "challenges"). */
  protected abstract readonly counted: string;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = this.throttlers.filter((t) => t.name === this.throttlerName);
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const p: Principal = req.user;
    return trackerOf(p.tenantId!, p.userId!);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${this.config.redisKeyPrefix}:rl:${this.counted}:${name}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedException(
      `more than ${detail.limit} ${this.counted} per minute; retry later`,
      detail.timeToBlockExpire,
    );
  }
}
