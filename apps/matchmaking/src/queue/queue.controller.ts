import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { requestIdOf } from '../common/problem.filter';
import { ApiProblems } from '../docs/api-problems';
import { isTeamFormat } from '@app/core';
import { presentTeamMatch } from '../matches/team-match.presenter';
import { ActiveDto, presentActiveMatch } from './active.dto';
import { JoinThrottlerGuard } from './join-throttler.guard';
import { presentQueueEntry } from './queue-entry.presenter';
import { JoinQueueRequest, QueueEntryDto } from './queue.dto';
import { QueueService } from './queue.service';

@ApiTags('queue')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/matchmaking')
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  @Post('queue')
  @UseGuards(JoinThrottlerGuard)
  @ApiOperation({ summary: 'Join the rated or casual queue of a pool' })
  @ApiCreatedResponse({ type: QueueEntryDto })
  @ApiProblems(
    400,
    401,
    413,
    { status: 409, description: 'ALREADY_IN_QUEUE (with queue_entry_id of the open entry) or ACTIVE_GAME_EXISTS' },
    429,
    503,
  )
  async join(
    @CurrentPlayer() player: Player,
    @Body() body: JoinQueueRequest,
    @Req() req: Request,
  ): Promise<QueueEntryDto> {
    return presentQueueEntry(await this.queue.join(player, body, requestIdOf(req) ?? null));
  }

  @Get('queue/:id')
  @ApiOperation({ summary: 'One of the caller’s queue entries' })
  @ApiOkResponse({ type: QueueEntryDto })
  @ApiProblems(401, 404, 503)
  async get(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<QueueEntryDto> {
    return presentQueueEntry(await this.queue.get(player, id));
  }

  @Delete('queue/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Leave the queue (idempotent)' })
  @ApiOkResponse({ type: QueueEntryDto })
  @ApiProblems(
    401,
    404,
    { status: 409, description: 'CANNOT_CANCEL: the entry is MATCHING, MATCHED or TIMED_OUT' },
    503,
  )
  async cancel(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<QueueEntryDto> {
    return presentQueueEntry(await this.queue.cancel(player, id));
  }

  @Get('active')
  @ApiOperation({ summary: 'The caller’s open queue entry and current match' })
  @ApiOkResponse({ type: ActiveDto })
  @ApiProblems(401, 503)
  async active(@CurrentPlayer() player: Player): Promise<ActiveDto> {
    const [entry, current] = await Promise.all([this.queue.open(player), this.queue.currentMatch(player)]);
    const match = !current
      ? null
      : isTeamFormat(current.match.format)
        ? presentTeamMatch(current.match, current.players)
        : presentActiveMatch(current.match, player.userId);
    return { queue_entry: entry && presentQueueEntry(entry), match };
  }
}
