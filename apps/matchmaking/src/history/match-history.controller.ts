import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPlayer, Player } from '../auth/principal';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { OpaqueIdPipe } from '../common/opaque-id.pipe';
import { ApiProblems } from '../docs/api-problems';
import { MatchPageDto, MatchPageQuery, MatchSummaryDto } from './match-history.dto';
import { MatchHistoryService } from './match-history.service';

@ApiTags('matches')
@ApiBearerAuth('bearer')
@UseGuards(JwtAuthGuard)
@Controller('v1/matchmaking/matches')
export class MatchHistoryController {
  constructor(private readonly history: MatchHistoryService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s matches, newest first, a page at a time' })
  @ApiOkResponse({ type: MatchPageDto })
  @ApiProblems(400, 401, 503)
  page(@CurrentPlayer() player: Player, @Query() query: MatchPageQuery): Promise<MatchPageDto> {
    return this.history.page(player.tenantId, player.userId, query.before, query.limit);
  }

  @Get(':match_id')
  @ApiOperation({ summary: 'One of the caller’s matches (participants only)' })
  @ApiOkResponse({ type: MatchSummaryDto })
  @ApiProblems(401, 404, 503)
  get(@CurrentPlayer() player: Player, @Param('match_id', OpaqueIdPipe) matchId: string): Promise<MatchSummaryDto> {
    return this.history.get(player.tenantId, player.userId, matchId);
  }
}
