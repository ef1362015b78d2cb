import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('SEARCHING', 'MATCHING')`;

/**
 * The ticket trigger (1732240000000) only acts when an entry opens or closes, or when it has a party.
 * A 1v1 claim (SEARCHING → MATCHING) and its release do neither, yet the trigger called its PL/pgSQL
 * function for every row: 100,000 calls in a 50,000-pair tick (0.5–1.2 s, EXPLAIN ANALYZE in
 * docs/performance.md). The same test now sits in the trigger's WHEN, which PostgreSQL evaluates
 * without a call; the function, and what it does when called, are unchanged.
 */
export class ClaimSkipsTicketTrigger1732260500000 implements MigrationInterface {
  name = 'ClaimSkipsTicketTrigger1732260500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER queue_entries_ticket_members_status ON queue_entries');
    await q.query(`CREATE TRIGGER queue_entries_ticket_members_status AFTER UPDATE OF status ON queue_entries
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND (NEW.party_id IS NOT NULL
        OR (OLD.status IN ${OPEN}) IS DISTINCT FROM (NEW.status IN ${OPEN})))
      EXECUTE FUNCTION ticket_members_on_status()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER queue_entries_ticket_members_status ON queue_entries');
    await q.query(`CREATE TRIGGER queue_entries_ticket_members_status AFTER UPDATE OF status ON queue_entries
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION ticket_members_on_status()`);
  }
}
