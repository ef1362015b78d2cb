import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { isUniqueViolation, newId, Party, pgErrorCode, QueueEntry, Sql } from '@app/persistence';
import { Player } from '../auth/principal';
import { forbidden, invalid, notFound, ProblemException, RateLimitedException } from '../common/problem';
import { PartyEventsService } from '../events/party-events.service';
import { JoinCounterService } from '../rate-limit/join-counter.service';
import { NewTicket, TicketPlayer, TicketsRepository } from './tickets.repository';

/** What a team join is for: the pool and what the body asked, already validated. */
export type TicketRequest = Omit<NewTicket, 'tenantId' | 'players' | 'partyId'> & { partyId: string | null };

const DEADLOCK = '40P01';

/** The leader had an open entry of their own: the insert did nothing. */
class LeaderQueued extends Error {}

const alreadyQueued = (userId: string, entryId: string) =>
  new ProblemException(409, 'ALREADY_IN_QUEUE', `${userId} already has an open queue entry`, {
    user_id: userId,
    queue_entry_id: entryId,
  });

/**
 * Team tickets: the leader queues the party (or a player queues a team format alone) as one entry.
 * The party row is locked for the transaction, so its members cannot change under the ticket; one open
 * ticket per user is the database's ticket_members index, whatever the concurrency.
 */
@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly joins: JoinCounterService,
    private readonly partyEvents: PartyEventsService,
    private readonly config: AppConfig,
  ) {}

  async join(player: Player, req: TicketRequest): Promise<QueueEntry> {
    const players = req.partyId ? await this.partyPlayers(player, req) : [player];
    const others = players.filter((p) => p.userId !== player.userId).map((p) => p.userId);
    const over = await this.joins.count(player.tenantId, others);
    if (over) {
      const problem = new RateLimitedException(
        `${over.userId} made too many joins; retry later`,
        over.retryAfterSeconds,
      );
      Object.assign(problem.extra, { user_id: over.userId });
      throw problem;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const entry = await this.tickets.transaction((tx) => this.insert(tx, player, players, req));
        if (req.partyId) await this.partyEvents.publish([req.partyId]);
        return entry;
      } catch (error) {
        // Two tickets inserting overlapping players in opposite orders may deadlock; PostgreSQL ends one: retry it.
        if (pgErrorCode(error) === DEADLOCK) continue;
        if (!isUniqueViolation(error) && !(error instanceof LeaderQueued)) throw error;
        const blocker = await this.tickets.blocker(
          player.tenantId,
          players.map((p) => p.userId),
        );
        if (blocker) throw alreadyQueued(blocker.userId, blocker.entryId);
      }
    }
    throw new Error('ticket insert kept conflicting with tickets that were no longer open');
  }

  /** The party's members, leader first, after the checks that need no lock: 404, 403, then the format. */
  private async partyPlayers(player: Player, req: TicketRequest): Promise<TicketPlayer[]> {
    const party = await this.tickets.party(player.tenantId, req.partyId!);
    if (!party || !party.members.some((m) => m.userId === player.userId)) throw notFound('party');
    if (party.leaderUserId !== player.userId) throw forbidden('only the party’s leader queues it');
    if (party.format !== req.format) throw invalid('format', `must be the party’s format, ${party.format}`);
    return playersOf(party);
  }

  private async insert(tx: Sql, player: Player, solo: TicketPlayer[], req: TicketRequest): Promise<QueueEntry> {
    let players = solo;
    if (req.partyId) {
      const party = await this.tickets.lockParty(tx, player.tenantId, req.partyId);
      if (!party || party.leaderUserId !== player.userId) throw notFound('party');
      if (party.status === 'QUEUED') throw alreadyQueued(player.userId, party.queueEntryId!);
      if (party.status !== 'OPEN') {
        throw new ProblemException(409, 'ACTIVE_GAME_EXISTS', 'the party’s game has no result yet', {
          user_id: player.userId,
        });
      }
      players = playersOf(party);
    }
    if (this.config.activeGameCheck) {
      const busy = await this.tickets.busyMember(
        tx,
        player.tenantId,
        players.map((p) => p.userId),
      );
      if (busy) {
        throw new ProblemException(409, 'ACTIVE_GAME_EXISTS', `${busy.userId}’s last game has no result yet`, {
          user_id: busy.userId,
          match_id: busy.matchId,
          game_id: busy.gameId,
        });
      }
    }
    const { partyId, ...pool } = req;
    const entry = await this.tickets.insert(tx, { ...pool, tenantId: player.tenantId, players, partyId }, newId('q'));
    if (!entry) throw new LeaderQueued();
    if (partyId) await this.tickets.markQueued(tx, partyId, entry.id);
    return entry;
  }
}

/** The leader first (the entry's user), then the others by how long they have been in the party. */
function playersOf(party: Party): TicketPlayer[] {
  const leader = party.members.find((m) => m.userId === party.leaderUserId)!;
  return [leader, ...party.members.filter((m) => m !== leader)].map((m) => ({
    userId: m.userId,
    username: m.username,
  }));
}
