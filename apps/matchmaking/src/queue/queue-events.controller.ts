import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { ApiProblems } from '../docs/api-problems';
import { EntryEventsService } from '../events/entry-events.service';
import { DrainService } from '../lifecycle/drain.service';
import { presentQueueEntry } from './queue-entry.presenter';
import { QueueEntry } from './queue.repository';
import { QueueService } from './queue.service';

const TERMINAL = new Set(['MATCHED', 'CANCELLED', 'TIMED_OUT']);
const SAFETY_POLL_MS = 5000;
const HEARTBEAT_MS = 15000;

@ApiTags('queue')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/matchmaking')
export class QueueEventsController {
  constructor(
    private readonly queue: QueueService,
    private readonly events: EntryEventsService,
    private readonly drain: DrainService,
  ) {}

  @Get('queue/:id/events')
  @ApiOperation({
    summary: 'Server-sent events of one queue entry: now and at every change, closed after a terminal state',
    description:
      'Each event is `event: status` with the QueueEntry as `data`. Browsers may pass the token as ?access_token=.',
  })
  @ApiQuery({ name: 'access_token', required: false, description: 'the bearer token, for EventSource clients' })
  @ApiOkResponse({
    description: 'text/event-stream of QueueEntry',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblems(401, 404, 503)
  async stream(
    @CurrentPlayer() player: Player,
    @Param('id', OpaqueIdPipe) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    let closed = false;
    let lastSent = '';
    let refreshing: Promise<void> = Promise.resolve();
    const send = (entry: QueueEntry) => {
      const dto = presentQueueEntry(entry);
      const key = `${dto.status}|${dto.match_id}|${dto.game_id}`;
      if (key === lastSent || closed) return;
      lastSent = key;
      res.write(`event: status\nid: ${Date.now()}\ndata: ${JSON.stringify(dto)}\n\n`);
      if (TERMINAL.has(dto.status)) finish();
    };
    const refresh = () => {
      refreshing = refreshing.then(() => this.queue.get(player, id).then(send, () => undefined));
    };
    // Subscribe before the first read, so no change can slip between the two; a slow poll covers lost messages.
    const stop = await this.events.listen(id, refresh);
    const timers = [
      setInterval(refresh, SAFETY_POLL_MS),
      setInterval(() => !closed && res.write(': keep-alive\n\n'), HEARTBEAT_MS),
    ];
    const finish = () => {
      if (closed) return;
      closed = true;
      untrack();
      stop();
      timers.forEach(clearInterval);
      res.end();
    };
    // A SIGTERM waits for this stream to end (or ends it at the drain deadline; EventSource reconnects).
    const untrack = this.drain.track(finish);
    req.on('close', finish);
    let entry: QueueEntry;
    try {
      entry = await this.queue.get(player, id);
    } catch (error) {
      closed = true;
      untrack();
      stop();
      timers.forEach(clearInterval);
      throw error;
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    send(entry);
  }
}
