import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { REDIS } from '../infra/redis.module';

type Listener = () => void;

/**
 * "Queue entry X changed", across replicas: one Redis channel per process subscription, fanned out
 * in memory to the event streams open on this replica. Payloads carry only ids; readers re-read
 * PostgreSQL, which stays the source of truth.
 */
@Injectable()
export class EntryEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(EntryEventsService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber: Redis | null = null;
  private readonly channel: string;

  constructor(@Inject(REDIS) private readonly redis: Redis, config: AppConfig) {
    this.channel = `${config.redisKeyPrefix}:entry-events`;
  }

  /** Best effort: a lost notification only delays a stream until its next poll. */
  async publish(entryIds: string[]): Promise<void> {
    if (!entryIds.length) return;
    await this.redis.publish(this.channel, entryIds.join(',')).catch((error) =>
      this.logger.warn({ err: error }, 'could not publish entry events'));
  }

  async listen(entryId: string, listener: Listener): Promise<() => void> {
    await this.ensureSubscribed();
    let set = this.listeners.get(entryId);
    if (!set) this.listeners.set(entryId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.listeners.delete(entryId);
    };
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate({ maxRetriesPerRequest: null, commandTimeout: undefined });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      for (const id of message.split(',')) for (const listener of this.listeners.get(id) ?? []) listener();
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber?.disconnect();
  }
}
