import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A match that failed for good keeps its players apart for the rematch cooldown (from failed_at), and
 * a queue entry counts its failed matches so it ends after FAILED_MATCH_LIMIT instead of failing forever.
 */
export class FailedMatches1732220000000 implements MigrationInterface {
  name = 'FailedMatches1732220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE matches ADD COLUMN failed_at timestamptz`);
    await q.query(`UPDATE matches SET failed_at = updated_at WHERE status = 'FAILED'`);
    await q.query(`CREATE INDEX matches_failed_recent ON matches (tenant_id, failed_at) WHERE status = 'FAILED'`);
    await q.query(`ALTER TABLE queue_entries ADD COLUMN failed_matches integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE queue_entries DROP COLUMN failed_matches`);
    await q.query('DROP INDEX matches_failed_recent');
    await q.query(`ALTER TABLE matches DROP COLUMN failed_at`);
  }
}
