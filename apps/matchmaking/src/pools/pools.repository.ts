import { Injectable } from '@nestjs/common';
import { Database } from '@app/persistence';
import type { PoolRef } from '../jobs/job-schedules.repository';

/** Which pools have someone waiting: PostgreSQL decides which pools must tick. */
@Injectable()
export class PoolsRepository {
  constructor(private readonly db: Database) {}

  async hasWaiting(pool: PoolRef): Promise<boolean> {
    const row = await this.db.one<{ waiting: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM queue_entries WHERE tenant_id = $1 AND pool_key = $2 AND status = 'SEARCHING')
         AS waiting`,
      [pool.tenantId, pool.poolKey],
    );
    return row!.waiting;
  }

  async withWaiting(): Promise<PoolRef[]> {
    const rows = await this.db.rows<{ tenant_id: string; pool_key: string }>(
      `SELECT DISTINCT tenant_id, pool_key FROM queue_entries WHERE status = 'SEARCHING'`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, poolKey: r.pool_key }));
  }
}
