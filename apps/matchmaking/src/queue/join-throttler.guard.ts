import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import { Principal } from '../auth/principal';

/** Joins per user per minute, counted in Redis so every replica sees the same number. */
@Injectable()
export class JoinThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const p: Principal = req.user;
    return `${p.tenantId}|${p.userId}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${this.config.redisKeyPrefix}:rl:joins:${name}:${tracker}`;
  }
}
