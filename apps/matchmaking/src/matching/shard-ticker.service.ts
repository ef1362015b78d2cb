import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { JobSchedulesRepository, PoolRef } from '../jobs/job-schedules.repository';
import { MatchingService } from './matching.service';
import { TickLockRepository } from './tick-lock.repository';

/** What one run of a shard's tick did: the return value its BullMQ job shows on the job dashboard. */
export interface ShardTickSummary {
  shard: number;
  /** active pools of the shard when the run started */
  pools: number;
  ticked: number;
  claimed: number;
  /** pools found empty, so taken out of the shard */
  emptied: number;
  failed: number;
  /** busy: another run held the shard; lost: the lock lapsed mid-run, the rest was left to its new holder */
  skipped?: 'busy' | 'lost';
  durationMs: number;
}

/**
 * One run of a shard's tick: under the shard's lock, every active pool of the shard gets one
 * MatchingService.tick, at most MATCH_TICK_CONCURRENCY pool ticks at once in this process (over all the
 * shards it runs), so a pool costs a loop iteration and its own reads and claim, not a BullMQ job.
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
    const summary: ShardTickSummary = { shard, pools: 0, ticked: 0, claimed: 0, emptied: 0, failed: 0, durationMs: 0 };
    const token = await this.lock.acquire(shard);
    if (!token) return { ...summary, skipped: 'busy', durationMs: performance.now() - started };
    let firstError: unknown;
    try {
      const pools = await this.schedules.poolsOf(shard);
      summary.pools = pools.length;
      let extendedAt = started;
      await Promise.all(
        pools.map((pool) =>
          this.slot(async () => {
            if (summary.skipped) return;
            if (performance.now() - extendedAt > this.config.tickLockMs / 3) {
              extendedAt = performance.now();
              if (!(await this.lock.extend(shard, token))) summary.skipped = 'lost';
              if (summary.skipped) return;
            }
            await this.tickPool(pool, summary).catch((error: unknown) => {
              summary.failed++;
              firstError ??= error;
              this.logger.warn({ err: error, tenant_id: pool.tenantId, pool_key: pool.poolKey }, 'pool tick failed');
            });
          }),
        ),
      );
    } finally {
      await this.lock.release(shard, token);
    }
    summary.durationMs = performance.now() - started;
    if (summary.failed) {
      const reason = firstError instanceof Error ? firstError.message : String(firstError);
      throw new Error(`${summary.failed} of ${summary.pools} pool ticks of shard ${shard} failed; first: ${reason}`);
    }
    return summary;
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
