import { MigrationInterface, QueryRunner } from 'typeorm';

/** The join's "is a likely opponent waiting?" probe scanned the whole pool for outlying ratings. */
export class SearchingByRating1732210000000 implements MigrationInterface {
  name = 'SearchingByRating1732210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX queue_entries_searching_by_rating ON queue_entries (tenant_id, pool_key, rating)
      WHERE status = 'SEARCHING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX queue_entries_searching_by_rating');
  }
}
