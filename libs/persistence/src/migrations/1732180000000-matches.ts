import { MigrationInterface, QueryRunner } from 'typeorm';

export class Matches1732180000000 implements MigrationInterface {
  name = 'Matches1732180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE matches (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        source text NOT NULL CHECK (source IN ('queue', 'challenge')),
        status text NOT NULL CHECK (status IN ('PENDING', 'CREATED', 'FAILED')),
        pool_key text NOT NULL,
        time_control text NOT NULL,
        mode text NOT NULL,
        variant text NOT NULL,
        category text NOT NULL,
        region text,
        white_user_id text NOT NULL,
        black_user_id text NOT NULL,
        white_username text,
        black_username text,
        white_rating integer NOT NULL,
        black_rating integer NOT NULL,
        white_entry_id text,
        black_entry_id text,
        white_wait_ms integer NOT NULL DEFAULT 0,
        black_wait_ms integer NOT NULL DEFAULT 0,
        rating_gap integer NOT NULL,
        challenge_id text,
        game_id text UNIQUE,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        result text CHECK (result IN ('white', 'black', 'draw', 'aborted')),
        result_at timestamptz,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        game_created_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX matches_by_tenant_recent ON matches (tenant_id, created_at DESC)`);
    await q.query(`CREATE INDEX matches_by_white ON matches (tenant_id, white_user_id, created_at DESC)`);
    await q.query(`CREATE INDEX matches_by_black ON matches (tenant_id, black_user_id, created_at DESC)`);
    await q.query(`CREATE INDEX matches_by_pool_recent ON matches (tenant_id, pool_key, created_at DESC)`);
    await q.query(`CREATE INDEX matches_pending ON matches (created_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX queue_entries_by_match ON queue_entries (match_id) WHERE match_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX queue_entries_by_match');
    await q.query('DROP TABLE matches');
  }
}
