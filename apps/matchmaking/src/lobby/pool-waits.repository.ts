import { Injectable } from '@nestjs/common';
import { Database, Statement } from '@app/persistence';

/** The lobby estimate's sample, as the join's (queue.repository.ts ESTIMATE) without its rating band. */
const SAMPLE = {
  /** Older matches say little about who is online now. */
  lookbackMinutes: 30,
  /** Enough matches for a stable median, few enough to stay cheap on the tick. */
  sampleMatches: 200,
};

const MEDIAN_WAIT: Statement = {
  name: 'lobby_median_wait',
  text: `SELECT ceil(percentile_cont(0.5) WITHIN GROUP (ORDER BY (white_wait_ms + black_wait_ms) / 2) / 1000.0)::int
           AS median_s
         FROM (SELECT white_wait_ms, black_wait_ms FROM matches
               WHERE tenant_id = $1 AND pool_key = $2 AND source = 'queue' AND status <> 'FAILED'
                 AND created_at > now() - make_interval(mins => $3::int)
               ORDER BY created_at DESC LIMIT $4::int) recent`,
};

/** How long players of a pool waited for their recent matches (served by matches_by_pool_recent). */
@Injectable()
export class PoolWaitsRepository {
  constructor(private readonly db: Database) {}

  /** Median seconds from join to pairing over the pool's recent queue matches; null without any. */
  async medianWaitSeconds(tenantId: string, poolKey: string): Promise<number | null> {
    const row = await this.db.one<{ median_s: number | null }>(MEDIAN_WAIT, [
      tenantId,
      poolKey,
      SAMPLE.lookbackMinutes,
      SAMPLE.sampleMatches,
    ]);
    return row?.median_s ?? null;
  }
}
