import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';

type Listener = () => void;

/**
 * "Match X settled" across processes: the worker that created (or failed) a game publishes the
 * match id; an api replica waiting on an accept wakes up and re-reads PostgreSQL.
 */
@Injectable()
export class MatchSettledEvents implements OnModuleDestroy {
  private readonly logger = new Logger(MatchSettledEvents.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber: Redis | null = null;
  private subscribing: Promise<void> | null = null;
  private readonly channel: string;

  constructor(@Inject(REDIS) private readonly redis: Redis, config: AppConfig) {
    this.channel = `${config.redisKeyPrefix}:match-settled`;
  }

  /** Best effort: a waiting accept also polls, so a lost message only delays it. */
  async publish(matchId: string): Promise<void> {
    await this.redis.publish(this.channel, matchId).catch((error) =>
      this.logger.warn({ err: error }, 'could not publish match settled'));
  }

  /** Waits at most `subscribeWithinMs` for the subscription, so an unreachable Redis never holds a request. */
  async listen(matchId: string, listener: Listener, subscribeWithinMs: number): Promise<() => void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.ensureSubscribed().catch((error) =>
        this.logger.warn({ err: error }, 'could not subscribe to match settled; polling only')),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, subscribeWithinMs))),
    ]);
    clearTimeout(timer);
    let set = this.listeners.get(matchId);
    if (!set) this.listeners.set(matchId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.listeners.delete(matchId);
    };
  }

  private ensureSubscribed(): Promise<void> {
    if (!this.subscribing) {
      this.subscriber = this.redis.duplicate({ maxRetriesPerRequest: null, commandTimeout: undefined });
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (_channel: string, matchId: string) => {
        for (const listener of this.listeners.get(matchId) ?? []) listener();
      });
      this.subscribing = this.subscriber.subscribe(this.channel).then(() => undefined, (error) => {
        this.subscribing = null;
        this.subscriber?.disconnect();
        throw error;
      });
    }
    return this.subscribing;
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
