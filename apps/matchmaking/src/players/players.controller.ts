import { Body, Controller, Get, Param, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { UserIdPipe } from '../auth/identifiers';
import { CurrentPlayer, Player } from '../auth/principal';
import { InternalAuthGuard } from '../auth/internal-auth.guard';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { SingleTenant } from '../auth/tenant-scope';
import { ApiProblems } from '../docs/api-problems';
import {
  CategoryRatingWithName,
  Leaderboard,
  LeaderboardQuery,
  PlayerProfile,
  PublicProfile,
  SetRatingRequest,
} from './players.dto';
import { PlayersService } from './players.service';

@ApiTags('players')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/players')
export class PlayersController {
  constructor(private readonly players: PlayersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller’s ratings in every category' })
  @ApiOkResponse({ type: PlayerProfile })
  @ApiProblems(401, 503)
  me(@CurrentPlayer() player: Player): Promise<PlayerProfile> {
    return this.players.profile(player.tenantId, player.userId);
  }

  @Get(':user_id')
  @ApiOperation({ summary: 'A player’s public profile in the caller’s tenant' })
  @ApiOkResponse({ type: PublicProfile })
  @ApiProblems(400, 401, 404, 503)
  publicProfile(@CurrentPlayer() player: Player, @Param('user_id', UserIdPipe) userId: string): Promise<PublicProfile> {
    return this.players.publicProfile(player.tenantId, userId);
  }
}

@ApiTags('players')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/leaderboard')
export class LeaderboardController {
  constructor(private readonly players: PlayersService) {}

  @Get()
  @ApiOperation({ summary: 'The best players of the caller’s tenant in one category' })
  @ApiOkResponse({ type: Leaderboard })
  @ApiProblems(400, 401, 503)
  leaderboard(@CurrentPlayer() player: Player, @Query() query: LeaderboardQuery): Promise<Leaderboard> {
    return this.players.leaderboard(player.tenantId, query.category, query.limit, query.offset);
  }
}

@ApiTags('internal')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@UseGuards(InternalAuthGuard)
@Controller('internal/players')
export class InternalPlayersController {
  constructor(private readonly players: PlayersService) {}

  @Put(':user_id/ratings/:category')
  @ApiOperation({ summary: 'Import a player’s rating in one category (API key: ?tenant_id=, default "default")' })
  @ApiOkResponse({ type: CategoryRatingWithName })
  @ApiProblems(400, 401, 403, 404, 503)
  setRating(
    @SingleTenant() tenantId: string,
    @Param('user_id', UserIdPipe) userId: string,
    @Param('category') category: string,
    @Body() body: SetRatingRequest,
  ): Promise<CategoryRatingWithName> {
    return this.players.importRating(tenantId, userId, category, body.rating, body.deviation);
  }
}
