import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matches of N players (SPEC §12): the match's format, and one `match_players` row per player of a team
 * match (1v1 matches keep their white/black columns). Team games take `a|b|draw|aborted` results. The
 * per-player ratings around a rated team result live on its row, like white/black_rating_before/after.
 * A row's created_at is its match's, so a player's team matches page on one index like the colour indexes.
 */
export class TeamMatches1732250000000 implements MigrationInterface {
  name = 'TeamMatches1732250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE matches ADD COLUMN format text NOT NULL DEFAULT '1v1'`);
    await q.query(`ALTER TABLE matches DROP CONSTRAINT matches_result_check`);
    await q.query(`ALTER TABLE matches ADD CONSTRAINT matches_result_check
      CHECK (result IN ('white', 'black', 'draw', 'aborted', 'a', 'b'))`);
    await q.query(`
      CREATE TABLE match_players (
        match_id text NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
        tenant_id text NOT NULL,
        user_id text NOT NULL,
        username text,
        team text NOT NULL CHECK (team IN ('a', 'b')),
        board integer NOT NULL CHECK (board >= 1),
        color text NOT NULL CHECK (color IN ('white', 'black')),
        rating integer NOT NULL,
        wait_ms integer NOT NULL DEFAULT 0,
        queue_entry_id text,
        rating_before double precision,
        rating_after double precision,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (match_id, user_id),
        UNIQUE (match_id, team, board)
      )`);
    await q.query(
      `CREATE INDEX match_players_by_user ON match_players (tenant_id, user_id, created_at DESC, match_id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE match_players');
    await q.query(`DELETE FROM matches WHERE format <> '1v1'`);
    await q.query(`ALTER TABLE matches DROP CONSTRAINT matches_result_check`);
    await q.query(`ALTER TABLE matches ADD CONSTRAINT matches_result_check
      CHECK (result IN ('white', 'black', 'draw', 'aborted'))`);
    await q.query('ALTER TABLE matches DROP COLUMN format');
  }
}
