import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { isTeamFormat, teamSize } from '@app/core';
import { newId, Party } from '@app/persistence';
import { Player } from '../auth/principal';
import { forbidden, invalid, notFound, ProblemException } from '../common/problem';
import { EntryEventsService } from '../events/entry-events.service';
import { PartyEventsService } from '../events/party-events.service';
import { PartiesRepository, PartyOutcome } from './parties.repository';

const isMember = (party: Party, userId: string) => party.members.some((m) => m.userId === userId);

/** Parties (SPEC §12): create, read, join by id (the invite code), leave, removal by the leader, the idle sweep. */
@Injectable()
export class PartiesService {
  private readonly logger = new Logger(PartiesService.name);

  constructor(
    private readonly parties: PartiesRepository,
    private readonly partyEvents: PartyEventsService,
    private readonly entryEvents: EntryEventsService,
    private readonly config: AppConfig,
  ) {}

  async create(player: Player, format: string): Promise<Party> {
    if (!this.config.formats.includes(format) || !isTeamFormat(format)) {
      const team = this.config.formats.filter(isTeamFormat);
      throw invalid('format', team.length ? `must be one of ${team.join(', ')}` : 'no team format is enabled');
    }
    const party = await this.parties.create(player.tenantId, player, format, teamSize(format)!, newId('p'));
    if (!party) throw inAnotherParty();
    return party;
  }

  /** Members only: to anyone else (another tenant included) the party does not exist. */
  async get(player: Player, id: string): Promise<Party> {
    const party = await this.read(player, id);
    if (!party || !isMember(party, player.userId)) throw notFound('party');
    return party;
  }

  /** The party as it is now, member or not: a stream's reads after its opening check. */
  async read(player: Player, id: string): Promise<Party | null> {
    return this.parties.find(player.tenantId, id);
  }

  async current(player: Player): Promise<Party | null> {
    return this.parties.current(player.tenantId, player.userId);
  }

  async join(player: Player, id: string): Promise<Party> {
    return this.settle(await this.parties.join(player.tenantId, id, player));
  }

  async leave(player: Player, id: string): Promise<Party> {
    return this.settle(await this.parties.leave(player.tenantId, id, player.userId));
  }

  /** The leader removes a member; removing oneself is leaving. */
  async remove(player: Player, id: string, userId: string): Promise<Party> {
    if (userId === player.userId) return this.leave(player, id);
    return this.settle(await this.parties.leave(player.tenantId, id, userId, player.userId));
  }

  async disbandIdle(): Promise<number> {
    const ids = await this.parties.disbandIdle(this.config.partyTtlSeconds);
    if (ids.length) {
      await this.partyEvents.publish(ids);
      this.logger.log({ disbanded: ids.length }, 'idle parties disbanded');
    }
    return ids.length;
  }

  private async settle(outcome: PartyOutcome): Promise<Party> {
    if ('refused' in outcome) throw refusal(outcome.refused, outcome.entryId);
    await this.partyEvents.publish([outcome.party.id]);
    if (outcome.cancelledEntryId) await this.entryEvents.publish([outcome.cancelledEntryId]);
    return outcome.party;
  }
}

const inAnotherParty = () =>
  new ProblemException(409, 'ALREADY_IN_PARTY', 'you are in a party already; leave it first');

function refusal(reason: string, entryId: string | null): ProblemException {
  switch (reason) {
    case 'full':
      return new ProblemException(409, 'PARTY_FULL', 'the party has all its members');
    case 'state':
      return new ProblemException(409, 'INVALID_STATE', 'the party is queued, in a game or disbanded');
    case 'in_party':
      return inAnotherParty();
    case 'queued':
      return new ProblemException(409, 'ALREADY_IN_QUEUE', 'you have an open queue entry', { queue_entry_id: entryId });
    case 'not_leader':
      return forbidden('only the party’s leader removes members');
    default:
      return notFound('party member');
  }
}
