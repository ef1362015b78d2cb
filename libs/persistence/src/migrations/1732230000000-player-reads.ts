import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Player-facing reads: the rating of each side after a rated game (match history), when a rating was
 * last assessed (Glicko-2 inactivity), and history indexes with the match id as the tie-break of a
 * page cursor (one claim inserts several matches with the same created_at).
 */
export class PlayerReads1732230000000 implements MigrationInterface {
  name = 'PlayerReads1732230000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE matches
      ADD COLUMN white_rating_before double precision,
      ADD COLUMN white_rating_after double precision,
      ADD COLUMN black_rating_before double precision,
      ADD COLUMN black_rating_after double precision`);
    await q.query(`ALTER TABLE player_ratings ADD COLUMN rated_at timestamptz NOT NULL DEFAULT now()`);
    // The best known last assessment of existing rows: their last change.
    await q.query(`UPDATE player_ratings SET rated_at = updated_at`);
    await q.query(`CREATE INDEX matches_history_white ON matches (tenant_id, white_user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX matches_history_black ON matches (tenant_id, black_user_id, created_at DESC, id DESC)`);
    // The history indexes start with the same columns, so they serve every former reader.
    await q.query('DROP INDEX matches_by_white');
    await q.query('DROP INDEX matches_by_black');
    // Leaderboard pages: the order with its tie-break straight from the index.
    await q.query(`CREATE INDEX player_ratings_leaderboard_paged ON player_ratings (tenant_id, category, rating DESC, user_id)
      WHERE games > 0`);
    await q.query('DROP INDEX player_ratings_leaderboard');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX player_ratings_leaderboard ON player_ratings (tenant_id, category, rating) WHERE games > 0`,
    );
    await q.query('DROP INDEX player_ratings_leaderboard_paged');
    await q.query(`CREATE INDEX matches_by_black ON matches (tenant_id, black_user_id, created_at DESC)`);
    await q.query(`CREATE INDEX matches_by_white ON matches (tenant_id, white_user_id, created_at DESC)`);
    await q.query('DROP INDEX matches_history_black');
    await q.query('DROP INDEX matches_history_white');
    await q.query('ALTER TABLE player_ratings DROP COLUMN rated_at');
    await q.query(`ALTER TABLE matches DROP COLUMN white_rating_before, DROP COLUMN white_rating_after,
      DROP COLUMN black_rating_before, DROP COLUMN black_rating_after`);
  }
}
