import { Controller, MessageEvent, Param, Sse, SseSignal, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EMPTY, Observable } from 'rxjs';
import { AppConfig } from '@app/config';
import { Party } from '@app/persistence';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { ApiEventStream } from '../docs/api-event-stream';
import { EntryEventsService } from '../events/entry-events.service';
import { PartyEventsService } from '../events/party-events.service';
import { StreamSlot, StreamSlotsService } from '../events/stream-slots.service';
import { DrainService } from '../lifecycle/drain.service';
import { PartiesService } from './parties.service';
import { presentParty } from './party.presenter';

@ApiTags('parties')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/parties')
export class PartyEventsController {
  constructor(
    private readonly parties: PartiesService,
    private readonly partyEvents: PartyEventsService,
    private readonly entryEvents: EntryEventsService,
    private readonly slots: StreamSlotsService,
    private readonly drain: DrainService,
    private readonly config: AppConfig,
  ) {}

  @Sse(':id/events')
  @ApiEventStream(
    'Server-sent events of one party: now and at every change, closed once the caller is out of it',
    'Each event is `event: party` with the Party as `data`: members joining, leaving or removed, the leader, and ' +
      'the status (QUEUED, IN_GAME as its ticket is matched, OPEN again). The stream ends after the party is ' +
      'DISBANDED or after the event that shows the caller no longer a member. Members only (404 otherwise). ' +
      'Browsers may pass the token as ?access_token=. The streams count against SSE_MAX_STREAMS_PER_USER with the ' +
      'queue entry streams (429 beyond).',
    'Party',
  )
  async stream(
    @CurrentPlayer() player: Player,
    @Param('id', OpaqueIdPipe) id: string,
    @SseSignal() signal: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    const party = await this.parties.get(player, id);
    const slot = await this.slots.acquireWhile(player, signal);
    if (!slot) return EMPTY;
    return this.changes(player, party, slot);
  }

  /** Listens to the party and to its current ticket, whose claim or end moves the party's status. */
  private changes(player: Player, first: Party, slot: StreamSlot): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let lastSent = '';
      let refreshing: Promise<void> = Promise.resolve();
      const unlisten: { party?: () => void; ticket?: () => void; ticketId?: string | null } = {};
      const refresh = () => {
        refreshing = refreshing.then(() =>
          this.parties.read(player, first.id).then(
            (p) => {
              if (p) send(p);
            },
            () => undefined,
          ),
        );
      };
      const follow = (ticketId: string | null) => {
        if (ticketId === unlisten.ticketId) return;
        unlisten.ticket?.();
        unlisten.ticket = undefined;
        unlisten.ticketId = ticketId;
        if (ticketId) {
          void this.entryEvents.listen(ticketId, refresh).then((stop) => {
            if (subscriber.closed || unlisten.ticketId !== ticketId) return stop();
            unlisten.ticket = stop;
          });
        }
      };
      const send = (party: Party) => {
        const dto = presentParty(party);
        const key = JSON.stringify(dto);
        if (key === lastSent || subscriber.closed) return;
        lastSent = key;
        subscriber.next({ type: 'party', id: String(Date.now()), data: dto });
        if (party.status === 'DISBANDED' || !party.members.some((m) => m.userId === player.userId)) {
          return subscriber.complete();
        }
        follow(party.queueEntryId);
      };
      send(first);
      if (subscriber.closed) return;
      const timers = [
        setInterval(refresh, this.config.sse.safetyPollMs),
        setInterval(() => {
          subscriber.next({ comment: 'keep-alive' });
          slot.touch();
        }, this.config.sse.heartbeatMs),
      ];
      const untrack = this.drain.track(() => subscriber.complete());
      // Read again once subscribed, so no change can slip between the first read and the subscription.
      void this.partyEvents.listen(first.id, refresh).then((stop) => {
        if (subscriber.closed) return stop();
        unlisten.party = stop;
        refresh();
      });
      return () => {
        untrack();
        timers.forEach(clearInterval);
        unlisten.party?.();
        unlisten.ticket?.();
        unlisten.ticketId = undefined;
      };
    });
  }
}
