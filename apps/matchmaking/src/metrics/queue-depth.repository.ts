import { Injectable } from '@nestjs/common';
import { Database } from '@app/persistence';

export interface PoolRegionDepth {
  tenantId: string;
  poolKey: string;
  /** ANY for entries without a region. */
  region: string;
  waiting: number;
}

/** SEARCHING entries per tenant, pool and region, read at scrape time. */
@Injectable()
export class QueueDepthRepository {
  constructor(private readonly db: Database) {}

  async searching(): Promise<PoolRegionDepth[]> {
    const rows = await this.db.rows<{ tenant_id: string; pool_key: string; region: string; n: number }>(
      `SELECT tenant_id, pool_key, coalesce(region, 'ANY') AS region, count(*)::int AS n
       FROM queue_entries WHERE status = 'SEARCHING' GROUP BY 1, 2, 3`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, poolKey: r.pool_key, region: r.region, waiting: r.n }));
  }
}
