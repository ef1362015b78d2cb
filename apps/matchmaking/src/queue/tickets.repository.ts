import { Injectable } from '@nestjs/common';
import {
  Database,
  DEFAULT_RATING,
  Party,
  PARTY_COLUMNS,
  QUEUE_ENTRY_COLUMNS,
  QueueEntry,
  Sql,
  toParty,
  toQueueEntry,
  unfinishedGameSql,
} from '@app/persistence';

export interface TicketPlayer {
  userId: string;
  username: string | null;
}

export interface NewTicket {
  tenantId: string;
  /** The leader (or the solo player) first: the entry's user_id. */
  players: TicketPlayer[];
  partyId: string | null;
  format: string;
  poolKey: string;
  timeControl: string;
  mode: string;
  variant: string;
  category: string;
  region: string | null;
  timeoutSeconds: number;
  estimatedWaitSeconds: number;
  clientMetadata: Record<string, unknown> | null;
  requestId: string | null;
}

export interface Blocker {
  userId: string;
  entryId: string;
}

export interface BusyMember {
  userId: string;
  matchId: string;
  gameId: string | null;
}

/**
 * One statement: the entry (the ON CONFLICT of the one-open-entry index covers the leader) and every
 * player's ticket_members row with their own rating, so a member with another open ticket breaks the
 * one-open-ticket index and nothing of the ticket remains. The entry's trigger then finds the leader's
 * row already there. The ticket's rating is the mean of its players'.
 */
const INSERT_TICKET = `WITH m AS (
    SELECT u.user_id, u.username,
           COALESCE((SELECT round(r.rating)::int FROM player_ratings r
                     WHERE r.tenant_id = $2 AND r.user_id = u.user_id AND r.category = $9), $14::int) AS rating
    FROM unnest($3::text[], $4::text[]) AS u(user_id, username)
  ), entry AS (
    INSERT INTO queue_entries (id, tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
      region, rating, status, enqueued_at, expires_at, estimated_wait_seconds, client_metadata, request_id, format,
      party_id)
    SELECT $1, $2, ($3::text[])[1], ($4::text[])[1], $5, $6, $7, $8, $9, $10, (SELECT round(avg(rating))::int FROM m),
           'SEARCHING', now(), now() + make_interval(secs => $11::int), least($11::int, $15::int), $12::jsonb, $13,
           $16, $17
    ON CONFLICT (tenant_id, user_id) WHERE status IN ('SEARCHING', 'MATCHING') DO NOTHING
    RETURNING id
  ), players AS (
    INSERT INTO ticket_members (entry_id, tenant_id, user_id, username, rating, open)
    SELECT entry.id, $2, m.user_id, m.username, m.rating, true FROM entry, m
    RETURNING user_id
  )
  SELECT (SELECT id FROM entry) AS id, (SELECT count(*) FROM players)::int AS players`;

/** The team side of the queue: a party locked for its ticket, the ticket's insert, and who blocks it. */
@Injectable()
export class TicketsRepository {
  constructor(private readonly db: Database) {}

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The party and its live members, unlocked: the checks a request fails before any lock is taken. */
  async party(tenantId: string, partyId: string): Promise<Party | null> {
    const row = await this.db.one(`SELECT ${PARTY_COLUMNS} FROM parties p WHERE p.id = $1 AND p.tenant_id = $2`, [
      partyId,
      tenantId,
    ]);
    return row && toParty(row);
  }

  /** The party row locked for the transaction: no join or leave changes its members under the ticket. */
  async lockParty(tx: Sql, tenantId: string, partyId: string): Promise<Party | null> {
    const row = await tx.one(
      `SELECT ${PARTY_COLUMNS} FROM parties p WHERE p.id = $1 AND p.tenant_id = $2 FOR UPDATE OF p`,
      [partyId, tenantId],
    );
    return row && toParty(row);
  }

  async markQueued(tx: Sql, partyId: string, entryId: string): Promise<void> {
    await tx.count(
      `UPDATE parties SET status = 'QUEUED', queue_entry_id = $2, updated_at = now() WHERE id = $1 AND status = 'OPEN'`,
      [partyId, entryId],
    );
  }

  /** The first of these users (in their order) whose last game may still be running. */
  async busyMember(tx: Sql, tenantId: string, userIds: string[]): Promise<BusyMember | null> {
    const row = await tx.one<{ user_id: string; match_id: string; game_id: string | null }>(
      `SELECT u.user_id, g.id AS match_id, g.game_id
       FROM unnest($2::text[]) WITH ORDINALITY AS u(user_id, ord)
       CROSS JOIN LATERAL (${unfinishedGameSql('$1', 'u.user_id')}) g
       ORDER BY u.ord LIMIT 1`,
      [tenantId, userIds],
    );
    return row && { userId: row.user_id, matchId: row.match_id, gameId: row.game_id };
  }

  /** Inserts the ticket; null when the leader has an open entry. A member's open ticket throws a unique violation. */
  async insert(tx: Sql, t: NewTicket, id: string): Promise<QueueEntry | null> {
    const inserted = await tx.one<{ id: string | null }>(INSERT_TICKET, [
      id,
      t.tenantId,
      t.players.map((p) => p.userId),
      t.players.map((p) => p.username),
      t.poolKey,
      t.timeControl,
      t.mode,
      t.variant,
      t.category,
      t.region,
      t.timeoutSeconds,
      t.clientMetadata === null ? null : JSON.stringify(t.clientMetadata),
      t.requestId,
      DEFAULT_RATING,
      t.estimatedWaitSeconds,
      t.format,
      t.partyId,
    ]);
    if (!inserted?.id) return null;
    const row = await tx.one(`SELECT ${QUEUE_ENTRY_COLUMNS} FROM queue_entries WHERE id = $1`, [inserted.id]);
    return toQueueEntry(row!);
  }

  /** The first of these users (in their order) with an open ticket, and that ticket. */
  async blocker(tenantId: string, userIds: string[]): Promise<Blocker | null> {
    const row = await this.db.one<{ user_id: string; entry_id: string }>(
      `SELECT user_id, entry_id FROM ticket_members
       WHERE tenant_id = $1 AND user_id = ANY($2::text[]) AND open
       ORDER BY array_position($2::text[], user_id) LIMIT 1`,
      [tenantId, userIds],
    );
    return row && { userId: row.user_id, entryId: row.entry_id };
  }
}
