import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['queue_entries', 'challenges', 'matches'];

/**
 * Joins and challenges once stored the time control as typed, so "03+2" shared the pool of "3+2" but
 * was shown and sent to the live-game API as typed. Rows written since hold the canonical form; this
 * rewrites the older ones (leading zeros dropped).
 */
export class CanonicalTimeControls1732215000000 implements MigrationInterface {
  name = 'CanonicalTimeControls1732215000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(
        `UPDATE ${table} SET time_control = regexp_replace(time_control, '^0*(\\d+)\\+0*(\\d+)$', '\\1+\\2')
         WHERE time_control ~ '(^|\\+)0\\d'`,
      );
    }
  }

  async down(): Promise<void> {
    // The typed spellings are gone for good, and the canonical form is valid for every older reader.
  }
}
