import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobSchedulesRepository, PoolRef } from '../jobs/job-schedules.repository';
import { MatchingService } from './matching.service';
import { TickLockRepository } from './tick-lock.repository';

/** What one run of a shard's tick did: the return value its BullMQ job shows on the job dashboard. */
export interface ShardTickSummary {
  shard: number;
  /** active pools of the shard at its last pass */
  pools: number;
  /** 1, or 2 when a run of the shard came due (and skipped) while this one ticked: it ticks them once more */
  passes: number;
  ticked: number;
  claimed: number;
  /** pools found empty, so taken out of the shard */
  emptied: number;
  failed: number;
  /** busy: another run held the shard; lost: the lock lapsed mid-run, the rest was left to its new holder */
  skipped?: 'busy' | 'lost';
  durationMs: number;
}

/** A run ticks its pools at most this many times: once, plus once for the runs it made skip. */
const MAX_PASSES = 2;

interface ShardRun {
  summary: ShardTickSummary;
  firstError: unknown;
}

function newRun(shard: number): ShardRun {
  const summary: ShardTickSummary = {
    shard,
    pools: 0,
    passes: 0,
    ticked: 0,
    claimed: 0,
    emptied: 0,
    failed: 0,
    durationMs: 0,
  };
  return { summary, firstError: undefined };
}

/**
 * One run of a shard's tick: under the shard's lock, every active pool of the shard gets one
 * MatchingService.tick, at most MATCH_TICK_CONCURRENCY pool ticks at once in this process (over all the
 * shards it runs), so a pool costs a loop iteration and its own reads and claim, not a BullMQ job. A run
 * that outlasts MATCH_TICK_MS makes the shard's next run skip; that one leaves a mark, and the running one
 * then ticks the shard again at once instead of leaving the worker idle until the run after.
 */
@Injectable()
export class ShardTickerService {
  private readonly logger = new Logger(ShardTickerService.name);
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly matching: MatchingService,
    private readonly lock: TickLockRepository,
    private readonly schedules: JobSchedulesRepository,
    private readonly config: AppConfig,
  ) {}

  async tickShard(shard: number): Promise<ShardTickSummary> {
    const started = performance.now();
    const run = newRun(shard);
    const { summary } = run;
    const held = await this.holding(shard, summary, async () => {
      do await this.tickPools(run, await this.schedules.poolsOf(shard));
      while (!summary.skipped && summary.passes < MAX_PASSES && (await this.lock.takeMissed(shard)));
    });
    if (!held) {
      await this.lock.markMissed(shard);
      return { ...summary, skipped: 'busy', durationMs: performance.now() - started };
    }
    summary.durationMs = performance.now() - started;
    if (summary.failed) {
      const reason = run.firstError instanceof Error ? run.firstError.message : String(run.firstError);
      throw new Error(`${summary.failed} pool ticks of shard ${shard} failed; first: ${reason}`);
    }
    return summary;
  }

  /**
   * One tick of these pools of the shard now (the pools joins nudged), under the shard's lock; false when a
   * run holds the shard (it leaves no mark: the caller asks again shortly). Failed ticks are logged.
   */
  async tickNudged(shard: number, pools: PoolRef[]): Promise<boolean> {
    const run = newRun(shard);
    return this.holding(shard, run.summary, () => this.tickPools(run, pools));
  }

  /** Runs work holding the shard's lock, extended on a timer; false (work not run) when another run holds it. */
  private async holding(shard: number, summary: ShardTickSummary, work: () => Promise<void>): Promise<boolean> {
    const token = await this.lock.acquire(shard);
    if (!token) return false;
    // The lease is pushed back on a timer, not between pool ticks, so slow ticks in flight do not let it lapse.
    let done = false;
    const extending = setInterval(() => {
      void this.lock.extend(shard, token).then(
        (held) => {
          if (!held && !done) summary.skipped ??= 'lost';
        },
        () => undefined,
      );
    }, this.config.tickLockMs / 3);
    try {
      await work();
    } finally {
      done = true;
      clearInterval(extending);
      await this.lock.release(shard, token);
    }
    return true;
  }

  /** One tick of each pool; none starts once the lock is lost. */
  private async tickPools(run: ShardRun, pools: PoolRef[]): Promise<void> {
    const { summary } = run;
    summary.pools = pools.length;
    summary.passes++;
    await Promise.all(
      pools.map((pool) =>
        this.slot(async () => {
          if (summary.skipped) return;
          await this.tickPool(pool, summary).catch((error: unknown) => {
            summary.failed++;
            run.firstError ??= error;
            this.logger.warn({ err: error, tenant_id: pool.tenantId, pool_key: pool.poolKey }, 'pool tick failed');
          });
        }),
      ),
    );
  }

  private async tickPool(pool: PoolRef, summary: ShardTickSummary): Promise<void> {
    const outcome = await this.matching.tick(pool);
    summary.ticked++;
    summary.claimed += outcome.claimed;
    if (outcome.skipped === 'empty') summary.emptied++;
  }

  /** Runs work once fewer than MATCH_TICK_CONCURRENCY pool ticks run in this process. */
  private async slot(work: () => Promise<void>): Promise<void> {
    while (this.running >= this.config.tickConcurrency) await new Promise<void>((wake) => this.waiting.push(wake));
    this.running++;
    try {
      await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
