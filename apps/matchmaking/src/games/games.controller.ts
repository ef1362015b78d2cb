import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InternalAuthGuard } from '../auth/internal-auth.guard';
import { Scope, TenantScope } from '../auth/tenant-scope';
import { ExternalIdPipe } from '../common/opaque-id.pipe';
import { ApiProblems } from '../docs/api-problems';
import { GameResultDto, RecordResultRequest } from './games.dto';
import { GamesService } from './games.service';

@ApiTags('internal')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@UseGuards(InternalAuthGuard)
@Controller('internal/games')
export class GamesController {
  constructor(private readonly games: GamesService) {}

  @Post(':game_id/result')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a game’s result (the live-game API calls this); repeats are no-ops' })
  @ApiOkResponse({ type: GameResultDto })
  @ApiProblems(400, 401, 403, 404, 503)
  record(
    @Scope() scope: TenantScope,
    @Param('game_id', ExternalIdPipe) gameId: string,
    @Body() body: RecordResultRequest,
  ): Promise<GameResultDto> {
    return this.games.recordResult(gameId, scope.tenantId, body.result);
  }
}
