import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobSchedulesRepository, PoolRef } from '../jobs/job-schedules.repository';
import { SearchingPools } from './searching-pools';
import { ShardTickerService } from './shard-ticker.service';

/** Nudged pools one poll takes at most; the rest wait for the next poll. */
const NUDGES_PER_POLL = 1_000;

/**
 * Ticks the pools that players joined, every MATCH_NUDGE_MS, ahead of their shard's next run: with 1 s
 * ticks a join would otherwise wait half a tick for its opponent on average, and a whole one at worst.
 * A nudged tick is the pool's ordinary tick under its shard's lock; a shard that is running keeps its
 * nudges for the next poll. A pool this worker keeps in memory (a big one, SearchingPools) is left to its
 * shard: it pairs every tick anyway, and ticking it per join would cost a match of the whole pool each time.
 * A process timer, not a BullMQ job: a job per poll would cost more than most polls do.
 */
@Injectable()
export class TickNudgesService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TickNudgesService.name);
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly schedules: JobSchedulesRepository,
    private readonly ticker: ShardTickerService,
    private readonly searching: SearchingPools,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.matching.nudgeMs;
    if (!every) return;
    this.timer = setInterval(() => {
      // poll() never rejects: it logs what failed
      this.polling ??= this.poll().then(() => {
        this.polling = null;
      });
    }, every);
    this.timer.unref();
  }

  /** Stops polling and lets the ticks in flight finish before Redis and PostgreSQL close. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
  }

  /** Ticks the nudged pools, by shard; answers how many pools ticked. */
  async poll(): Promise<number> {
    try {
      const byShard = new Map<number, PoolRef[]>();
      for (const pool of await this.schedules.takeNudges(NUDGES_PER_POLL)) {
        if (this.searching.keeps(pool)) continue;
        const shard = this.schedules.shardOf(pool);
        const pools = byShard.get(shard);
        if (pools) pools.push(pool);
        else byShard.set(shard, [pool]);
      }
      const busy: PoolRef[] = [];
      let ticked = 0;
      await Promise.all(
        [...byShard].map(async ([shard, pools]) => {
          if (await this.ticker.tickNudged(shard, pools)) ticked += pools.length;
          else busy.push(...pools);
        }),
      );
      await this.schedules.addNudges(busy);
      return ticked;
    } catch (error) {
      this.logger.warn({ err: error }, 'nudged ticks failed; the shards tick them');
      return 0;
    }
  }
}
