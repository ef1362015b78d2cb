import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';

type Listener = () => void;

/**
 * "Thing X changed", across replicas: one Redis channel, one subscription per process, fanned out in
 * memory to the listeners of each id. Messages carry ids only; listeners re-read PostgreSQL, which
 * stays the source of truth, and also poll, so a lost message only delays them.
 */
export abstract class RedisNotifications implements OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscriber: Redis | null = null;
  private subscribing: Promise<void> | null = null;

  protected constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  async publish(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.redis
      .publish(this.channel, ids.join(','))
      .catch((error) => this.logger.warn({ err: error }, `could not publish on ${this.channel}`));
  }

  /** Waits at most `subscribeWithinMs` for the subscription, so an unreachable Redis never holds a request. */
  async listen(id: string, listener: Listener, subscribeWithinMs = 1000): Promise<() => void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.ensureSubscribed().catch((error) =>
        this.logger.warn({ err: error }, `could not subscribe to ${this.channel}; polling only`),
      ),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, subscribeWithinMs))),
    ]);
    clearTimeout(timer);
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(id);
    };
  }

  private ensureSubscribed(): Promise<void> {
    if (!this.subscribing) {
      this.subscriber = this.redis.duplicate({ maxRetriesPerRequest: null, commandTimeout: undefined });
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (_channel: string, message: string) => {
        for (const id of message.split(',')) for (const listener of this.listeners.get(id) ?? []) listener();
      });
      this.subscribing = this.subscriber.subscribe(this.channel).then(
        () => undefined,
        (error) => {
          this.subscribing = null;
          this.subscriber?.disconnect();
          throw error;
        },
      );
    }
    return this.subscribing;
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }
}
