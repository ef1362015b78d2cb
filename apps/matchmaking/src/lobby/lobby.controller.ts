import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { ApiProblems } from '../docs/api-problems';
import { LobbyDto, LobbyQuery } from './lobby.dto';
import { LobbyService } from './lobby.service';

@ApiTags('queue')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/matchmaking/pools')
export class LobbyController {
  constructor(private readonly lobby: LobbyService) {}

  @Get()
  @ApiOperation({ summary: 'The lobby: every non-empty pool with its waiting count and estimated wait' })
  @ApiOkResponse({ type: LobbyDto })
  @ApiProblems(400, 401, 503)
  pools(@CurrentPlayer() player: Player, @Query() query: LobbyQuery): Promise<LobbyDto> {
    return this.lobby.pools(player.tenantId, query);
  }
}
