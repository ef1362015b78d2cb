import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InternalAuthGuard } from '../auth/internal-auth.guard';
import { Scope, TenantScope } from '../auth/tenant-scope';
import { ExternalIdPipe } from '../common/opaque-id.pipe';
import { ApiProblems } from '../docs/api-problems';
import { GameResultDto, RecordResultRequest } from './results.dto';
import { ResultsService } from './results.service';

@ApiTags('internal')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@UseGuards(InternalAuthGuard)
@Controller('internal/games')
export class ResultsController {
  constructor(private readonly results: ResultsService) {}

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
    return this.results.record(gameId, scope.tenantId, body.result);
  }
}
