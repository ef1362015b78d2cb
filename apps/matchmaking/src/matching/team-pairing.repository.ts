import { Injectable } from '@nestjs/common';
import { Database, MatchRecord, Statement } from '@app/persistence';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { NewTeamMatch, TeamMatchesRepository } from '../matches/team-matches.repository';

/** A SEARCHING ticket of a team pool as the tick reads it, its open members with it. */
export interface WaitingTicket {
  id: string;
  party_id: string | null;
  region: string | null;
  time_control: string;
  mode: string;
  variant: string;
  category: string;
  enqueued_ms: number;
  members: Array<{ user_id: string; username: string | null; rating: number }>;
}

/** A team pool's SEARCHING tickets (solo, then party tickets, each in queue order; the team matcher orders them itself) at one instant of the database clock. */
export interface TeamPool {
  nowMs: number;
  tickets: WaitingTicket[];
}

/** Tickets of a team pool written since a given moment: `searching` still waiting, `changed` every one of them. */
export interface TeamPoolChanges extends TeamPool {
  changed: string[];
}

/** Whole µs since the epoch by float arithmetic, as the 1v1 read's (extract's numeric cost more than the scan). */
const ENQUEUED_US = `(date_part('epoch', q.enqueued_at) * 1000000)::int8`;

/**
 * One run of tickets as columns (json arrays, one element per member): id, party id, region, enqueued µs,
 * user id, username, rating. A solo run's party column is a single null, not one per ticket. No request id:
 * the claim returns those of the tickets it takes (a UUID a ticket was 31 % of the row: 12.8 MB of json at
 * 100,000 tickets, 8.8 without).
 */
const ticketRun = (partyIds: string, members: string, fromWhere: string, memberOrder = '') => `
    (SELECT json_build_array(json_agg(id), ${partyIds}, json_agg(region), json_agg(enqueued_us),
              json_agg(user_id), json_agg(username), json_agg(rating))
     FROM (SELECT q.id, q.party_id, q.region, ${ENQUEUED_US} AS enqueued_us, ${members}
           FROM ${fromWhere}
           ORDER BY q.enqueued_at, q.id COLLATE "C"${memberOrder}) r)`;

/**
 * The pool's SEARCHING tickets with their open members, as one row of columns (the pool's constants once).
 * A solo ticket's one member is its entry's own user, username and rating (the ticket's insert writes both
 * rows from the same values), so only party tickets join ticket_members. Solo tickets, then party tickets
 * (members by user id), each run in queue order: the matcher's own order, so its sort of them is a merge
 * of two runs (docs/performance.md, "The team pool's read").
 */
const waitingColumns = (from: string, where: string, extraColumns = '') => `
  SELECT (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
    (SELECT json_build_array(q.time_control, q.mode, q.variant, q.category) FROM ${from} WHERE ${where} LIMIT 1) AS pool,
    ${ticketRun('NULL', 'q.user_id, q.username, q.rating', `${from} WHERE ${where} AND q.party_id IS NULL`)} AS solo,
    ${ticketRun(
      'json_agg(party_id)',
      't.user_id, t.username, t.rating',
      `${from} JOIN ticket_members t ON t.entry_id = q.id AND t.open WHERE ${where} AND q.party_id IS NOT NULL`,
      ', t.user_id',
    )} AS parties${extraColumns}`;

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

type Nullable = (string | null)[];

/** id, party id (null for a whole solo run), region, enqueued µs, then one member per element: user id, username, rating */
type TicketRun = [string[] | null, Nullable | null, Nullable, number[], string[], Nullable, number[]];

interface WaitingColumnsRow {
  now_ms: number;
  changed?: string[] | null;
  /** time control, mode, variant, category; null when no ticket waits */
  pool: [string, string, string, string] | null;
  solo: TicketRun;
  parties: TicketRun;
}

/** The solo tickets, then the party tickets (one per run of the same id). */
function waitingTicketsOf(row: WaitingColumnsRow): WaitingTicket[] {
  if (!row.pool) return [];
  const [time_control, mode, variant, category] = row.pool;
  const out: WaitingTicket[] = [];
  for (const [ids, parties, regions, enqueued, users, names, ratings] of [row.solo, row.parties]) {
    let last: WaitingTicket | undefined;
    for (let k = 0; k < (ids?.length ?? 0); k++) {
      if (last?.id !== ids![k]) {
        last = {
          id: ids![k],
          party_id: parties?.[k] ?? null,
          region: regions[k],
          time_control,
          mode,
          variant,
          category,
          enqueued_ms: enqueued[k] / 1000,
          members: [],
        };
        out.push(last);
      }
      last.members.push({ user_id: users[k], username: names[k], rating: ratings[k] });
    }
  }
  return out;
}

const CLAIM_TICKETS: Statement = {
  name: 'team_tick_claim',
  text: `UPDATE queue_entries SET status = 'MATCHING', updated_at = now()
         WHERE id = ANY($1) AND tenant_id = $2 AND status = 'SEARCHING' RETURNING id, request_id`,
};

export interface ClaimedTeamMatch {
  match: MatchRecord;
  ticketIds: string[];
}

/** A team match as the tick plans it: its request id will be that of `latestTicketId`'s join, which the claim reads. */
export interface PlannedTeamMatch extends Omit<NewTeamMatch, 'requestId'> {
  latestTicketId: string;
}

export const ticketsOf = (m: PlannedTeamMatch): string[] => [
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
  async claim(tenantId: string, planned: PlannedTeamMatch[]): Promise<ClaimedTeamMatch[]> {
    if (!planned.length) return [];
    return this.db.transaction(async (tx) => {
      const claimedRows = await tx.rows<{ id: string; request_id: string | null }>(CLAIM_TICKETS, [
        planned.flatMap(ticketsOf),
        tenantId,
      ]);
      const claimed = new Map(claimedRows.map((r) => [r.id, r.request_id]));
      // one pass: each match's tickets are listed once, and a match that lost one frees the rest
      const won: Array<{ match: PlannedTeamMatch; ticketIds: string[] }> = [];
      const lost: string[] = [];
      for (const match of planned) {
        const ticketIds = ticketsOf(match);
        if (ticketIds.every((id) => claimed.has(id))) won.push({ match, ticketIds });
        else lost.push(...ticketIds.filter((id) => claimed.has(id)));
      }
      if (lost.length) await tx.count(`UPDATE queue_entries SET status = 'SEARCHING' WHERE id = ANY($1)`, [lost]);
      const inserted = await this.teamMatches.insertAll(
        tx,
        won.map(({ match: { latestTicketId, ...m } }) => ({ ...m, requestId: claimed.get(latestTicketId) ?? null })),
      );
      return won.map(({ ticketIds }, k) => ({ match: inserted[k], ticketIds }));
    });
  }
}
