import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parties and tickets (SPEC §12, docs/teams.md). The membership rules are database facts: a CHECK keeps
 * a party within its size, a partial unique index keeps a user in one live party, and another keeps a
 * user in one open ticket across 1v1 and team pools. A trigger on queue_entries keeps ticket_members in
 * step with every status change (cancel, timeout, claim, requeue, admin) and moves the ticket's party
 * along, so no code path can forget either.
 */
export class PartiesAndTickets1732240000000 implements MigrationInterface {
  name = 'PartiesAndTickets1732240000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parties (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        leader_user_id text NOT NULL,
        format text NOT NULL,
        size integer NOT NULL CHECK (size BETWEEN 1 AND 5),
        status text NOT NULL CHECK (status IN ('OPEN', 'QUEUED', 'IN_GAME', 'DISBANDED')),
        member_count integer NOT NULL,
        queue_entry_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT parties_member_count_within_size CHECK (member_count BETWEEN 0 AND size)
      )`);
    // The sweep's idle parties.
    await q.query(`CREATE INDEX parties_open_by_update ON parties (updated_at) WHERE status = 'OPEN'`);
    // A game's result finds the party of each of its tickets.
    await q.query(`CREATE INDEX parties_by_ticket ON parties (queue_entry_id) WHERE queue_entry_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE party_members (
        party_id text NOT NULL REFERENCES parties (id),
        tenant_id text NOT NULL,
        user_id text NOT NULL,
        username text,
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        left_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX party_members_one_live_party ON party_members (tenant_id, user_id)
      WHERE left_at IS NULL`);
    await q.query(
      `CREATE INDEX party_members_live_by_party ON party_members (party_id, joined_at) WHERE left_at IS NULL`,
    );

    await q.query(`ALTER TABLE queue_entries ADD COLUMN format text NOT NULL DEFAULT '1v1', ADD COLUMN party_id text`);
    // No foreign key to queue_entries: its check would cost every 1v1 join a lookup, and only the trigger
    // and the team join write this table, always beside the entry.
    await q.query(`
      CREATE TABLE ticket_members (
        entry_id text NOT NULL,
        tenant_id text NOT NULL,
        user_id text NOT NULL,
        username text,
        rating integer NOT NULL,
        open boolean NOT NULL,
        PRIMARY KEY (entry_id, user_id)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX ticket_members_one_open_ticket ON ticket_members (tenant_id, user_id) WHERE open`,
    );

    // The entry's own user (a 1v1 player, a solo ticket, a party's leader). A team join inserts every
    // member with their own rating in the same statement first, so the leader's row is then already there.
    await q.query(`
      CREATE FUNCTION ticket_members_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ticket_members (entry_id, tenant_id, user_id, username, rating, open)
        VALUES (NEW.id, NEW.tenant_id, NEW.user_id, NEW.username, NEW.rating, NEW.status IN ('SEARCHING', 'MATCHING'))
        ON CONFLICT (entry_id, user_id) DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER queue_entries_ticket_members_insert AFTER INSERT ON queue_entries
      FOR EACH ROW EXECUTE FUNCTION ticket_members_on_insert()`);

    // Open while SEARCHING or MATCHING. A party ticket also moves its party: claimed → IN_GAME, back to
    // SEARCHING after a failed game → QUEUED, ended without a game → OPEN. MATCHED keeps IN_GAME until
    // the game's result (PartiesRepository.gameFinished).
    await q.query(`
      CREATE FUNCTION ticket_members_on_status() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_open boolean := OLD.status IN ('SEARCHING', 'MATCHING');
        is_open boolean := NEW.status IN ('SEARCHING', 'MATCHING');
      BEGIN
        IF was_open IS DISTINCT FROM is_open THEN
          UPDATE ticket_members SET open = is_open WHERE entry_id = NEW.id;
        END IF;
        IF NEW.party_id IS NOT NULL THEN
          UPDATE parties SET
            status = CASE NEW.status WHEN 'MATCHING' THEN 'IN_GAME' WHEN 'SEARCHING' THEN 'QUEUED'
                                     WHEN 'MATCHED' THEN status ELSE 'OPEN' END,
            queue_entry_id = CASE WHEN NEW.status IN ('CANCELLED', 'TIMED_OUT') THEN NULL ELSE queue_entry_id END,
            updated_at = now()
          WHERE id = NEW.party_id AND queue_entry_id = NEW.id AND status IN ('QUEUED', 'IN_GAME');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER queue_entries_ticket_members_status AFTER UPDATE OF status ON queue_entries
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION ticket_members_on_status()`);

    // Entries that exist already get their rows, so the one-open-ticket rule covers them too.
    await q.query(`INSERT INTO ticket_members (entry_id, tenant_id, user_id, username, rating, open)
      SELECT id, tenant_id, user_id, username, rating, status IN ('SEARCHING', 'MATCHING') FROM queue_entries`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER queue_entries_ticket_members_status ON queue_entries');
    await q.query('DROP TRIGGER queue_entries_ticket_members_insert ON queue_entries');
    await q.query('DROP FUNCTION ticket_members_on_status()');
    await q.query('DROP FUNCTION ticket_members_on_insert()');
    await q.query('DROP TABLE ticket_members');
    await q.query('ALTER TABLE queue_entries DROP COLUMN party_id, DROP COLUMN format');
    await q.query('DROP TABLE party_members');
    await q.query('DROP TABLE parties');
  }
}
