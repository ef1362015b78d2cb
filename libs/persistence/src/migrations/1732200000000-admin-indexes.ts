import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the admin summary, the recent-match listing and the queue-depth gauge across all tenants. */
export class AdminIndexes1732200000000 implements MigrationInterface {
  name = 'AdminIndexes1732200000000';

  async up(q: QueryRunner): Promise<void> {
    // "Pools with activity in the last 5 minutes": every change of an entry touches updated_at.
    await q.query(`CREATE INDEX queue_entries_recent_activity ON queue_entries (updated_at)`);
    await q.query(`CREATE INDEX queue_entries_timed_out_recent ON queue_entries (ended_at) WHERE status = 'TIMED_OUT'`);
    await q.query(`CREATE INDEX matches_recent ON matches (created_at DESC)`);
    await q.query(`CREATE INDEX matches_by_status_recent ON matches (status, created_at DESC)`);
    await q.query(`CREATE INDEX matches_created_games_recent ON matches (game_created_at) WHERE status = 'CREATED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX matches_created_games_recent');
    await q.query('DROP INDEX matches_by_status_recent');
    await q.query('DROP INDEX matches_recent');
    await q.query('DROP INDEX queue_entries_timed_out_recent');
    await q.query('DROP INDEX queue_entries_recent_activity');
  }
}
