import { Injectable } from '@nestjs/common';
import { Database, MatchRecord, Statement } from '@app/persistence';
import type { PoolRef } from '../jobs/job-schedules.repository';
import { NewTeamMatch, TeamMatchesRepository } from '../matches/team-matches.repository';

/** A SEARCHING ticket of a team pool as the tick reads it, its open members with it, and the database clock. */
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
  now_ms: number;
  members: Array<{ user_id: string; username: string | null; rating: number }>;
}

const WAITING_TICKETS: Statement = {
  name: 'team_tick_waiting',
  text: `SELECT q.id, q.party_id, q.region, q.request_id, q.time_control, q.mode, q.variant, q.category,
           (extract(epoch FROM q.enqueued_at) * 1000)::float8 AS enqueued_ms,
           (extract(epoch FROM now()) * 1000)::float8 AS now_ms,
           json_agg(json_build_object('user_id', t.user_id, 'username', t.username, 'rating', t.rating)
                    ORDER BY t.user_id) AS members
         FROM queue_entries q JOIN ticket_members t ON t.entry_id = q.id AND t.open
         WHERE q.tenant_id = $1 AND q.pool_key = $2 AND q.status = 'SEARCHING'
         GROUP BY q.id`,
};

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

  async waiting(pool: PoolRef): Promise<WaitingTicket[]> {
    return this.db.rows<WaitingTicket>(WAITING_TICKETS, [pool.tenantId, pool.poolKey]);
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
      const created: ClaimedTeamMatch[] = [];
      for (const m of won) created.push({ match: await this.teamMatches.insert(tx, m), ticketIds: ticketsOf(m) });
      return created;
    });
  }
}
