import { Controller, MessageEvent, Param, Sse, SseSignal, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EMPTY, Observable } from 'rxjs';
import { AppConfig } from '@app/config';
import { QueueEntryView } from '@app/persistence';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { ApiEventStream } from '../docs/api-event-stream';
import { EntryEventsService } from '../events/entry-events.service';
import { StreamSlot, StreamSlotsService } from '../events/stream-slots.service';
import { DrainService } from '../lifecycle/drain.service';
import { presentQueueEntry } from './queue-entry.presenter';
import { QueueService } from './queue.service';

const TERMINAL = new Set(['MATCHED', 'CANCELLED', 'TIMED_OUT']);

@ApiTags('queue')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/matchmaking')
export class QueueEventsController {
  constructor(
    private readonly queue: QueueService,
    private readonly events: EntryEventsService,
    private readonly slots: StreamSlotsService,
    private readonly drain: DrainService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Nest's @Sse() writes the status and headers before any event, and aborts `signal` however the
   * stream ends, including a client that leaves while this setup still awaits.
   */
  @Sse('queue/:id/events')
  @ApiEventStream(
    'Server-sent events of one queue entry: now and at every change, closed after a terminal state',
    'Each event is `event: status` with the QueueEntry as `data`. Browsers may pass the token as ?access_token=. ' +
      'At most SSE_MAX_STREAMS_PER_USER streams per user are open at once (429 beyond).',
    'QueueEntry',
  )
  async stream(
    @CurrentPlayer() player: Player,
    @Param('id', OpaqueIdPipe) id: string,
    @SseSignal() signal: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    const entry = await this.queue.get(player, id);
    const slot = await this.slots.acquireWhile(player, signal);
    if (!slot) return EMPTY;
    return this.changes(player, id, entry, slot);
  }

  private changes(player: Player, id: string, first: QueueEntryView, slot: StreamSlot): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let lastSent = '';
      let refreshing: Promise<void> = Promise.resolve();
      let unlisten: (() => void) | null = null;
      const send = (entry: QueueEntryView) => {
        const dto = presentQueueEntry(entry);
        const key = `${dto.status}|${dto.match_id}|${dto.game_id}`;
        if (key === lastSent || subscriber.closed) return;
        lastSent = key;
        subscriber.next({ type: 'status', id: String(Date.now()), data: dto });
        if (TERMINAL.has(dto.status)) subscriber.complete();
      };
      const refresh = () => {
        refreshing = refreshing.then(() => this.queue.get(player, id).then(send, () => undefined));
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
      // A SIGTERM waits for this stream to end (or ends it at the drain deadline; EventSource reconnects).
      const untrack = this.drain.track(() => subscriber.complete());
      // Read again once subscribed, so no change can slip between the first read and the subscription.
      void this.events.listen(id, refresh).then((stop) => {
        if (subscriber.closed) return stop();
        unlisten = stop;
        refresh();
      });
      return () => {
        untrack();
        timers.forEach(clearInterval);
        unlisten?.();
      };
    });
  }
}
