import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live-game calls whose answer never came (timeout, connection lost) may have created the game all the
 * same. A match that fails for good after such a call is counted here, so an operator (and the chaos
 * soak) can tell a possibly orphaned game from a failure the live-game API answered.
 */
export class UnansweredAttempts1732235000000 implements MigrationInterface {
  name = 'UnansweredAttempts1732235000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE matches ADD COLUMN unanswered_attempts integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE matches DROP COLUMN unanswered_attempts`);
  }
}
