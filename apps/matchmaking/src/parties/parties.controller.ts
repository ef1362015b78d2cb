import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserIdPipe } from '../auth/identifiers';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { ApiProblems } from '../docs/api-problems';
import { CreatePartyRequest, PartyDto } from './parties.dto';
import { PartiesService } from './parties.service';
import { presentParty } from './party.presenter';

@ApiTags('parties')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/parties')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a party of a team format; the caller is its leader and first member' })
  @ApiCreatedResponse({ type: PartyDto })
  @ApiProblems(400, 401, 413, { status: 409, description: 'ALREADY_IN_PARTY: the caller is in a live party' }, 503)
  async create(@CurrentPlayer() player: Player, @Body() body: CreatePartyRequest): Promise<PartyDto> {
    return presentParty(await this.parties.create(player, body.format));
  }

  /** Express sends a null body as nothing at all; `null` is the documented answer. */
  @Get('current')
  @ApiOperation({ summary: 'The caller’s party, or null' })
  @ApiOkResponse({
    schema: { anyOf: [{ $ref: getSchemaPath(PartyDto) }, { type: 'object', nullable: true, enum: [null] }] },
  })
  @ApiProblems(401, 503)
  async current(@CurrentPlayer() player: Player, @Res() res: Response): Promise<void> {
    const party = await this.parties.current(player);
    res.status(200).json(party && presentParty(party));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One party (members only)' })
  @ApiOkResponse({ type: PartyDto })
  @ApiProblems(401, 404, 503)
  async get(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<PartyDto> {
    return presentParty(await this.parties.get(player, id));
  }

  @Post(':id/join')
  @HttpCode(200)
  @ApiOperation({ summary: 'Join a party by its id (the invite code)' })
  @ApiOkResponse({ type: PartyDto })
  @ApiProblems(
    401,
    404,
    {
      status: 409,
      description:
        'PARTY_FULL (N members already), INVALID_STATE (queued, in a game or disbanded), ALREADY_IN_PARTY, ' +
        'ALREADY_IN_QUEUE (the joiner has an open queue entry; with its queue_entry_id)',
    },
    503,
  )
  async join(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<PartyDto> {
    return presentParty(await this.parties.join(player, id));
  }

  @Post(':id/leave')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Leave a party',
    description:
      'A leaving leader hands leadership to the longest-standing member; the last member’s leaving disbands the ' +
      'party; leaving a QUEUED party cancels its ticket (ended_reason party_changed).',
  })
  @ApiOkResponse({ type: PartyDto })
  @ApiProblems(401, 404, 503)
  async leave(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<PartyDto> {
    return presentParty(await this.parties.leave(player, id));
  }

  @Delete(':id/members/:user_id')
  @HttpCode(200)
  @ApiOperation({ summary: 'The leader removes a member (like that member leaving)' })
  @ApiOkResponse({ type: PartyDto })
  @ApiProblems(400, 401, { status: 403, description: 'FORBIDDEN: only the leader removes members' }, 404, 503)
  async remove(
    @CurrentPlayer() player: Player,
    @Param('id', OpaqueIdPipe) id: string,
    @Param('user_id', UserIdPipe) userId: string,
  ): Promise<PartyDto> {
    return presentParty(await this.parties.remove(player, id, userId));
  }
}
