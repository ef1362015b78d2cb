import { Injectable } from '@nestjs/common';
import { Database, MatchRecord, Statement } from '@app/persistence';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { NewTeamMatch, TeamMatchesRepository } from '../matches/team-matches.repository';

/** A SEARCHING ticket of a team pool as the tick reads it, its open members with it. */
export interface WaitingTicket {
  id: string;
  party_id: string | null;
  region: string | null;
  request_id: string | null;
  time_control: string;
  mode: string;
  variant: string;
  category: string;
  enqueued_ms: number;
  members: Array<{ user_id: string; username: string | null; rating: number }>;
}

/** A team pool's SEARCHING tickets (in no particular order: the team matcher orders them itself) at one instant of the database clock. */
export interface TeamPool {
  nowMs: number;
  tickets: WaitingTicket[];
}

/** Tickets of a team pool written since a given moment: `searching` still waiting, `changed` every one of them. */
export interface TeamPoolChanges extends TeamPool {
  changed: string[];
}

/**
 * Every open member of the pool's SEARCHING tickets, as one row of columns (json arrays in ticket id, then
 * user id order; a ticket's constants once): at 100,000 solo tickets 195–248 ms to the parsed columns
 * against 358–397 for a row per ticket with its members as json objects.
 */
const waitingColumns = (from: string, where: string, extraColumns = '') => `
  SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
    min(time_control) AS time_control, min(mode) AS mode, min(variant) AS variant, min(category) AS category,
    json_build_array(json_agg(id), json_agg(party_id), json_agg(region), json_agg(request_id),
      json_agg(enqueued_ms), json_agg(user_id), json_agg(username), json_agg(rating)) AS columns${extraColumns}
  FROM (SELECT q.id, q.party_id, q.region, q.request_id, q.time_control, q.mode, q.variant, q.category,
               (extract(epoch FROM q.enqueued_at) * 1000)::float8 AS enqueued_ms, t.user_id, t.username, t.rating
        FROM ${from} JOIN ticket_members t ON t.entry_id = q.id AND t.open
        WHERE ${where}
        ORDER BY q.id, t.user_id) s`;

const WAITING_TICKETS: Statement = {
  name: 'team_tick_waiting_columns',
  text: waitingColumns('queue_entries q', `q.tenant_id = $1 AND q.pool_key = $2 AND q.status = 'SEARCHING'`),
};

/** The same columns for the pool's tickets written after $3 (ms of the database clock), and the ids of all of them. */
const CHANGED_TICKETS: Statement = {
  name: 'team_tick_changed_columns',
  text: `WITH changed AS (
      SELECT id, status FROM queue_entries
      WHERE updated_at > to_timestamp($3::float8 / 1000) AND tenant_id = $1 AND pool_key = $2)
    ${waitingColumns('changed c JOIN queue_entries q ON q.id = c.id', `c.status = 'SEARCHING'`, ', (SELECT json_agg(id) FROM changed) AS changed')}`,
};

interface WaitingColumnsRow {
  now_ms: number;
  changed?: string[] | null;
  time_control: string | null;
  mode: string | null;
  variant: string | null;
  category: string | null;
  columns: [
    string[] | null,
    (string | null)[],
    (string | null)[],
    (string | null)[],
    number[],
    string[],
    (string | null)[],
    number[],
  ];
}

/** The columns' member rows, one ticket per run of the same id. */
function waitingTicketsOf(row: WaitingColumnsRow): WaitingTicket[] {
  const [ids, parties, regions, requests, enqueued, users, names, ratings] = row.columns;
  const out: WaitingTicket[] = [];
  let ticket: WaitingTicket | undefined;
  for (let k = 0; k < (ids?.length ?? 0); k++) {
    if (ticket?.id !== ids![k]) {
      ticket = {
        id: ids![k],
        party_id: parties[k],
        region: regions[k],
        request_id: requests[k],
        time_control: row.time_control!,
        mode: row.mode!,
        variant: row.variant!,
        category: row.category!,
        enqueued_ms: enqueued[k],
        members: [],
      };
      out.push(ticket);
    }
    ticket.members.push({ user_id: users[k], username: names[k], rating: ratings[k] });
  }
  return out;
}

const CLAIM_TICKETS: Statement = {
  name: 'team_tick_claim',
  text: `UPDATE queue_entries SET status = 'MATCHING', updated_at = now()
         WHERE id = ANY($1) AND tenant_id = $2 AND status = 'SEARCHING' RETURNING id`,
};

export interface ClaimedTeamMatch {
  match: MatchRecord;
  ticketIds: string[];
}

export const ticketsOf = (m: NewTeamMatch): string[] => [
  ...new Set(m.teams.flatMap((t) => t.players.map((p) => p.ticketId))),
];

/** The team tick's side of the tables: who waits in a team pool, and the atomic claim of whole team matches. */
@Injectable()
export class TeamPairingRepository {
  constructor(
    private readonly db: Database,
    private readonly teamMatches: TeamMatchesRepository,
  ) {}

  async waiting(pool: PoolRef): Promise<TeamPool> {
    const [row] = await this.db.rows<WaitingColumnsRow>(WAITING_TICKETS, [pool.tenantId, pool.poolKey]);
    return { nowMs: row.now_ms, tickets: waitingTicketsOf(row) };
  }

  /** The pool's tickets written after `sinceMs` (the database clock, as TeamPool.nowMs). */
  async changedSince(pool: PoolRef, sinceMs: number): Promise<TeamPoolChanges> {
    const [row] = await this.db.rows<WaitingColumnsRow>(CHANGED_TICKETS, [pool.tenantId, pool.poolKey, sinceMs]);
    return { nowMs: row.now_ms, tickets: waitingTicketsOf(row), changed: row.changed ?? [] };
  }

  /**
   * Claims team matches atomically: every chosen ticket goes SEARCHING → MATCHING in one conditional
   * update; a match that lost a ticket to a racing cancel (or leave) is dropped and its other tickets are
   * released in the same transaction, so no ticket is in two matches and a cancelled one is never matched.
   */
  async claim(tenantId: string, planned: NewTeamMatch[]): Promise<ClaimedTeamMatch[]> {
    if (!planned.length) return [];
    return this.db.transaction(async (tx) => {
      const claimedRows = await tx.rows<{ id: string }>(CLAIM_TICKETS, [planned.flatMap(ticketsOf), tenantId]);
      const claimed = new Set(claimedRows.map((r) => r.id));
      const won = planned.filter((m) => ticketsOf(m).every((id) => claimed.has(id)));
      const lost = planned.filter((m) => !won.includes(m)).flatMap((m) => ticketsOf(m).filter((id) => claimed.has(id)));
      if (lost.length) await tx.count(`UPDATE queue_entries SET status = 'SEARCHING' WHERE id = ANY($1)`, [lost]);
      const inserted = await this.teamMatches.insertAll(tx, won);
      return won.map((m, k) => ({ match: inserted[k], ticketIds: ticketsOf(m) }));
    });
  }
}
