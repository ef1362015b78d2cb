import { MigrationInterface, QueryRunner } from 'typeorm';

export class QueueAndRatings1732170000000 implements MigrationInterface {
  name = 'QueueAndRatings1732170000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE queue_entries (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        user_id text NOT NULL,
        username text,
        pool_key text NOT NULL,
        time_control text NOT NULL,
        mode text NOT NULL,
        variant text NOT NULL,
        category text NOT NULL,
        region text,
        rating integer NOT NULL,
        status text NOT NULL CHECK (status IN ('SEARCHING', 'MATCHING', 'MATCHED', 'CANCELLED', 'TIMED_OUT')),
        enqueued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        estimated_wait_seconds integer NOT NULL DEFAULT 0,
        match_id text,
        game_id text,
        color text CHECK (color IN ('white', 'black')),
        opponent jsonb,
        ended_reason text,
        ended_at timestamptz,
        client_metadata jsonb,
        request_id text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The database itself guarantees one open entry per user and tenant, whatever the replicas do.
    await q.query(`CREATE UNIQUE INDEX queue_entries_one_open_per_user ON queue_entries (tenant_id, user_id)
      WHERE status IN ('SEARCHING', 'MATCHING')`);
    await q.query(`CREATE INDEX queue_entries_searching_by_pool ON queue_entries (tenant_id, pool_key, enqueued_at)
      WHERE status = 'SEARCHING'`);
    await q.query(
      `CREATE INDEX queue_entries_searching_by_expiry ON queue_entries (expires_at) WHERE status = 'SEARCHING'`,
    );
    await q.query(`CREATE INDEX queue_entries_by_user ON queue_entries (tenant_id, user_id, enqueued_at)`);

    await q.query(`
      CREATE TABLE player_ratings (
        tenant_id text NOT NULL,
        user_id text NOT NULL,
        category text NOT NULL,
        username text,
        rating double precision NOT NULL,
        deviation double precision NOT NULL,
        volatility double precision NOT NULL,
        games integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id, category)
      )`);
    await q.query(
      `CREATE INDEX player_ratings_leaderboard ON player_ratings (tenant_id, category, rating) WHERE games > 0`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE player_ratings');
    await q.query('DROP TABLE queue_entries');
  }
}
