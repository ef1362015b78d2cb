import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { requestIdOf } from '../common/problem.filter';
import { ApiProblems } from '../docs/api-problems';
import { presentChallenge } from './challenge.presenter';
import { ChallengeThrottlerGuard } from './challenge-throttler.guard';
import { ChallengeDto, CreateChallengeRequest, DeclineChallengeRequest } from './challenges.dto';
import { ChallengesService } from './challenges.service';

const NOT_PENDING = { status: 409, description: 'INVALID_STATE: the challenge is no longer PENDING (or has expired)' };

/** The list routes come before `challenges/:id`, so `incoming` and `outgoing` are never taken for ids. */
@ApiTags('challenges')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/matchmaking/challenges')
export class ChallengesController {
  constructor(private readonly challenges: ChallengesService) {}

  @Post()
  @UseGuards(ChallengeThrottlerGuard)
  @ApiOperation({ summary: 'Challenge a player; replaces your pending challenge to the same opponent' })
  @ApiCreatedResponse({ type: ChallengeDto })
  @ApiProblems(
    { status: 400, description: 'INVALID_REQUEST (see errors[]) or SELF_CHALLENGE' },
    401,
    413,
    {
      status: 429,
      description:
        'RATE_LIMITED: RATE_LIMIT_CHALLENGES_PER_MINUTE, or MAX_PENDING_CHALLENGES outgoing PENDING challenges',
    },
    503,
  )
  async create(
    @CurrentPlayer() player: Player,
    @Body() body: CreateChallengeRequest,
    @Req() req: Request,
  ): Promise<ChallengeDto> {
    return presentChallenge(await this.challenges.create(player, body, requestIdOf(req) ?? null));
  }

  @Get('incoming')
  @ApiOperation({ summary: 'Pending challenges to the caller, newest first' })
  @ApiOkResponse({ type: ChallengeDto, isArray: true })
  @ApiProblems(401, 503)
  async incoming(@CurrentPlayer() player: Player): Promise<ChallengeDto[]> {
    return (await this.challenges.list(player, 'incoming')).map(presentChallenge);
  }

  @Get('outgoing')
  @ApiOperation({ summary: 'Pending challenges from the caller, newest first' })
  @ApiOkResponse({ type: ChallengeDto, isArray: true })
  @ApiProblems(401, 503)
  async outgoing(@CurrentPlayer() player: Player): Promise<ChallengeDto[]> {
    return (await this.challenges.list(player, 'outgoing')).map(presentChallenge);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One challenge, for its challenger or opponent' })
  @ApiOkResponse({ type: ChallengeDto })
  @ApiProblems(401, 404, 503)
  async get(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<ChallengeDto> {
    return presentChallenge(await this.challenges.get(player, id));
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept a challenge (the challenged player only)',
    description:
      'Creates the game; answers ACCEPTED with game_id once the game exists within ACCEPT_WAIT_MS ' +
      '(else game_id null: poll), or FAILED if game creation failed for good within the wait. Both players’ ' +
      'SEARCHING queue entries are cancelled (ended_reason challenge_accepted).',
  })
  @ApiOkResponse({ type: ChallengeDto })
  @ApiProblems(
    401,
    { status: 403, description: 'FORBIDDEN: the challenger cannot accept' },
    404,
    {
      status: 409,
      description:
        'INVALID_STATE (not PENDING or expired; checked first) or CANNOT_ACCEPT (a player is in an unfinished game)',
    },
    503,
  )
  async accept(
    @CurrentPlayer() player: Player,
    @Param('id', OpaqueIdPipe) id: string,
    @Req() req: Request,
  ): Promise<ChallengeDto> {
    return presentChallenge(await this.challenges.accept(player, id, requestIdOf(req) ?? null));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline a challenge (the challenged player only)' })
  @ApiOkResponse({ type: ChallengeDto })
  @ApiProblems(
    400,
    401,
    { status: 403, description: 'FORBIDDEN: the challenger cannot decline; withdraw instead' },
    404,
    NOT_PENDING,
    503,
  )
  async decline(
    @CurrentPlayer() player: Player,
    @Param('id', OpaqueIdPipe) id: string,
    @Body() body: DeclineChallengeRequest,
  ): Promise<ChallengeDto> {
    return presentChallenge(await this.challenges.decline(player, id, body.reason));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a challenge (the challenger only)' })
  @ApiOkResponse({ type: ChallengeDto })
  @ApiProblems(
    401,
    { status: 403, description: 'FORBIDDEN: the challenged player cannot withdraw; decline instead' },
    404,
    NOT_PENDING,
    503,
  )
  async withdraw(@CurrentPlayer() player: Player, @Param('id', OpaqueIdPipe) id: string): Promise<ChallengeDto> {
    return presentChallenge(await this.challenges.withdraw(player, id));
  }
}
