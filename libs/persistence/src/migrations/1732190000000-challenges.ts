import { MigrationInterface, QueryRunner } from 'typeorm';

export class Challenges1732190000000 implements MigrationInterface {
  name = 'Challenges1732190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE challenges (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        challenger_user_id text NOT NULL,
        challenger_username text,
        opponent_user_id text NOT NULL,
        time_control text NOT NULL,
        mode text NOT NULL,
        variant text NOT NULL,
        category text NOT NULL,
        preferred_color text NOT NULL CHECK (preferred_color IN ('white', 'black', 'random')),
        status text NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'EXPIRED', 'FAILED')),
        decline_reason text,
        match_id text,
        game_id text,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (challenger_user_id <> opponent_user_id)
      )`);
    // A new challenge replaces the pending one to the same opponent; the database keeps it to one.
    await q.query(`CREATE UNIQUE INDEX challenges_one_pending_per_pair
      ON challenges (tenant_id, challenger_user_id, opponent_user_id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX challenges_incoming ON challenges (tenant_id, opponent_user_id, created_at DESC)
      WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX challenges_outgoing ON challenges (tenant_id, challenger_user_id, created_at DESC)
      WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX challenges_pending_by_expiry ON challenges (expires_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX challenges_by_match ON challenges (match_id) WHERE match_id IS NOT NULL`);
    await q.query(`CREATE INDEX matches_by_challenge ON matches (challenge_id) WHERE challenge_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX matches_by_challenge');
    await q.query('DROP TABLE challenges');
  }
}
