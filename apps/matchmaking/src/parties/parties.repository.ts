import { Injectable } from '@nestjs/common';
import { Database, isUniqueViolation, Party, PARTY_COLUMNS, Sql, toParty, unfinishedGameSql } from '@app/persistence';
import { QueueRepository } from '../queue/queue.repository';

/** Why a join, leave or removal did not happen. */
export type Refusal = 'not_found' | 'full' | 'state' | 'in_party' | 'queued' | 'not_leader';

/** Thrown inside a transaction so that it rolls back; answered as the refusal. */
class Refused extends Error {
  constructor(
    readonly reason: Refusal,
    readonly entryId: string | null = null,
  ) {
    super(reason);
  }
}

/** Another transaction changed the party's ticket between the unlocked read and the lock: read again. */
class TicketMoved extends Error {}

export type PartyOutcome =
  { party: Party; cancelledEntryId: string | null } | { refused: Refusal; entryId: string | null };

const SELECT_PARTY = `SELECT ${PARTY_COLUMNS} FROM parties p WHERE p.id = $1 AND p.tenant_id = $2`;

/**
 * Parties and their members. The rules are PostgreSQL's: a join is one conditional member_count update
 * under the party row's lock (the CHECK keeps it within the size), a user's second live membership
 * breaks a unique index, and a leave locks the party's ticket before the party, in the order every
 * ticket status change (and its trigger) takes them.
 */
@Injectable()
export class PartiesRepository {
  constructor(
    private readonly db: Database,
    private readonly queue: QueueRepository,
  ) {}

  /** The new party, or null when the leader is in another live party. */
  async create(
    tenantId: string,
    leader: { userId: string; username: string | null },
    format: string,
    size: number,
    id: string,
  ): Promise<Party | null> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.count(
          `INSERT INTO parties (id, tenant_id, leader_user_id, format, size, status, member_count)
           VALUES ($1, $2, $3, $4, $5, 'OPEN', 1)`,
          [id, tenantId, leader.userId, format, size],
        );
        await tx.count(`INSERT INTO party_members (party_id, tenant_id, user_id, username) VALUES ($1, $2, $3, $4)`, [
          id,
          tenantId,
          leader.userId,
          leader.username,
        ]);
        return toParty((await tx.one(SELECT_PARTY, [id, tenantId]))!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async find(tenantId: string, id: string, sql: Sql = this.db): Promise<Party | null> {
    const row = await sql.one(SELECT_PARTY, [id, tenantId]);
    return row && toParty(row);
  }

  async current(tenantId: string, userId: string): Promise<Party | null> {
    const row = await this.db.one(
      `SELECT ${PARTY_COLUMNS} FROM parties p
       WHERE p.id = (SELECT party_id FROM party_members WHERE tenant_id = $1 AND user_id = $2 AND left_at IS NULL)`,
      [tenantId, userId],
    );
    return row && toParty(row);
  }

  async join(tenantId: string, id: string, user: { userId: string; username: string | null }): Promise<PartyOutcome> {
    try {
      return await this.db.transaction(async (tx) => {
        const grown = await tx.count(
          `UPDATE parties SET member_count = member_count + 1, updated_at = now()
           WHERE id = $1 AND tenant_id = $2 AND status = 'OPEN' AND member_count < size`,
          [id, tenantId],
        );
        if (!grown) throw new Refused(await this.whyNotJoined(tx, tenantId, id, user.userId));
        const open = await tx.one<{ entry_id: string }>(
          `SELECT entry_id FROM ticket_members WHERE tenant_id = $1 AND user_id = $2 AND open`,
          [tenantId, user.userId],
        );
        if (open) throw new Refused('queued', open.entry_id);
        await tx.count(`INSERT INTO party_members (party_id, tenant_id, user_id, username) VALUES ($1, $2, $3, $4)`, [
          id,
          tenantId,
          user.userId,
          user.username,
        ]);
        return { party: (await this.find(tenantId, id, tx))!, cancelledEntryId: null };
      });
    } catch (error) {
      if (error instanceof Refused) return { refused: error.reason, entryId: error.entryId };
      if (isUniqueViolation(error)) return { refused: 'in_party', entryId: null };
      throw error;
    }
  }

  private async whyNotJoined(tx: Sql, tenantId: string, id: string, userId: string): Promise<Refusal> {
    const row = await tx.one<{ status: string; member: boolean }>(
      `SELECT status, EXISTS (SELECT 1 FROM party_members m
                              WHERE m.party_id = p.id AND m.user_id = $3 AND m.left_at IS NULL) AS member
       FROM parties p WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId, userId],
    );
    if (!row) return 'not_found';
    if (row.member) return 'in_party';
    return row.status === 'OPEN' ? 'full' : 'state';
  }

  /**
   * `userId` leaves (or, with `removedBy`, is removed by the leader). Leadership passes to the
   * longest-standing member, the last one out disbands the party, and a QUEUED party's SEARCHING
   * ticket is cancelled (`party_changed`); a ticket already MATCHING goes on to its game.
   */
  async leave(tenantId: string, id: string, userId: string, removedBy?: string): Promise<PartyOutcome> {
    for (;;) {
      try {
        return await this.db.transaction((tx) => this.leaveLocked(tx, tenantId, id, userId, removedBy));
      } catch (error) {
        if (error instanceof Refused) return { refused: error.reason, entryId: null };
        if (!(error instanceof TicketMoved)) throw error;
      }
    }
  }

  private async leaveLocked(
    tx: Sql,
    tenantId: string,
    id: string,
    userId: string,
    removedBy: string | undefined,
  ): Promise<PartyOutcome> {
    const seen = await tx.one<{ queue_entry_id: string | null }>(
      `SELECT queue_entry_id FROM parties WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    if (!seen) throw new Refused('not_found');
    if (seen.queue_entry_id) {
      await tx.count(`SELECT 1 FROM queue_entries WHERE id = $1 FOR UPDATE`, [seen.queue_entry_id]);
    }
    const party = await tx.one<{ status: string; queue_entry_id: string | null; leader_user_id: string }>(
      `SELECT status, queue_entry_id, leader_user_id FROM parties WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (party!.queue_entry_id !== seen.queue_entry_id) throw new TicketMoved();
    if (removedBy !== undefined) await this.checkLeader(tx, id, removedBy, party!.leader_user_id);
    const left = await tx.count(
      `UPDATE party_members SET left_at = clock_timestamp() WHERE party_id = $1 AND user_id = $2 AND left_at IS NULL`,
      [id, userId],
    );
    if (!left) throw new Refused('not_found');
    const cancelled =
      party!.status === 'QUEUED' && party!.queue_entry_id
        ? await this.queue.cancelSearching(party!.queue_entry_id, tenantId, null, 'party_changed', tx)
        : null;
    await tx.count(
      `UPDATE parties SET member_count = member_count - 1,
         status = CASE WHEN member_count = 1 THEN 'DISBANDED' ELSE status END,
         leader_user_id = CASE WHEN leader_user_id <> $2 THEN leader_user_id ELSE COALESCE(
           (SELECT user_id FROM party_members WHERE party_id = $1 AND left_at IS NULL ORDER BY joined_at, user_id LIMIT 1),
           leader_user_id) END,
         updated_at = now()
       WHERE id = $1`,
      [id, userId],
    );
    return { party: (await this.find(tenantId, id, tx))!, cancelledEntryId: cancelled?.id ?? null };
  }

  private async checkLeader(tx: Sql, id: string, actor: string, leader: string): Promise<void> {
    const member = await tx.one(
      `SELECT 1 FROM party_members WHERE party_id = $1 AND user_id = $2 AND left_at IS NULL`,
      [id, actor],
    );
    if (!member) throw new Refused('not_found');
    if (actor !== leader) throw new Refused('not_leader');
  }

  /**
   * Disbands parties idle for `ttlSeconds`: OPEN (so no ticket), unchanged since, and no member with an
   * unfinished game. Answers their ids.
   */
  async disbandIdle(ttlSeconds: number, limit = 500): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      `WITH idle AS (
         SELECT p.id FROM parties p
         WHERE p.status = 'OPEN' AND p.updated_at < now() - make_interval(secs => $1::int)
           AND NOT EXISTS (SELECT 1 FROM party_members m
                           WHERE m.party_id = p.id AND m.left_at IS NULL
                             AND EXISTS (${unfinishedGameSql('p.tenant_id', 'm.user_id')}))
         ORDER BY p.updated_at LIMIT $2 FOR UPDATE OF p SKIP LOCKED
       ), gone AS (
         UPDATE parties p SET status = 'DISBANDED', member_count = 0, updated_at = now()
         FROM idle WHERE p.id = idle.id RETURNING p.id
       ), released AS (
         UPDATE party_members m SET left_at = now() FROM gone WHERE m.party_id = gone.id AND m.left_at IS NULL
         RETURNING m.party_id
       )
       SELECT id FROM gone`,
      [ttlSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * For the team result path (the lead's): a party ticket's game has its result, so the party is OPEN
   * again. Call it in the result's transaction with the match's queue entry ids; answers the parties.
   * The other moves need no call: the queue_entries trigger makes the party IN_GAME when its ticket is
   * claimed (MATCHING), QUEUED when a failed game puts the ticket back to SEARCHING, and OPEN when the
   * ticket ends without a game (cancelled, timed out, game_creation_failed).
   */
  async gameFinished(sql: Sql, entryIds: string[]): Promise<string[]> {
    if (!entryIds.length) return [];
    const rows = await sql.rows<{ id: string }>(
      `UPDATE parties SET status = 'OPEN', queue_entry_id = NULL, updated_at = now()
       WHERE queue_entry_id = ANY($1::text[]) AND status = 'IN_GAME' RETURNING id`,
      [entryIds],
    );
    return rows.map((r) => r.id);
  }
}
