import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { InternalAuthGuard } from '../auth/internal-auth.guard';
import { Scope, TenantScope } from '../auth/tenant-scope';
import { ExternalIdPipe, OpaqueIdPipe } from '../common/opaque-id.pipe';
import { ApiProblems } from '../docs/api-problems';
import { presentQueueEntry } from '../queue/queue-entry.presenter';
import { QueueEntryDto } from '../queue/queue.dto';
import { EntriesQuery, MatchesQuery, MatchRecordDto, QueuesSummaryDto, SummaryQuery } from './admin.dto';
import { AdminService } from './admin.service';

const SCOPE_NOTE = 'An admin JWT sees its own tenant; the API key sees every tenant, or the one named by ?tenant_id=.';

@ApiTags('internal')
@ApiSecurity('api-key')
@ApiBearerAuth('bearer')
@UseGuards(InternalAuthGuard)
@Controller('internal')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('queues/summary')
  @ApiOperation({ summary: 'Queue statistics per (tenant, pool)', description: SCOPE_NOTE })
  @ApiOkResponse({ type: QueuesSummaryDto })
  @ApiProblems(400, 401, 403, 503)
  summary(@Scope() scope: TenantScope, @Query() _query: SummaryQuery): Promise<QueuesSummaryDto> {
    return this.admin.summary(scope);
  }

  @Get('queues/:pool_key/entries')
  @ApiOperation({ summary: 'Waiting (SEARCHING) entries of one pool, oldest first', description: SCOPE_NOTE })
  @ApiParam({ name: 'pool_key', example: 'standard_5+0_rated', description: 'URL-encode "+" as %2B' })
  @ApiOkResponse({ type: [QueueEntryDto] })
  @ApiProblems(400, 401, 403, 404, 503)
  async entries(
    @Scope() scope: TenantScope,
    @Param('pool_key', ExternalIdPipe) poolKey: string,
    @Query() query: EntriesQuery,
  ): Promise<QueueEntryDto[]> {
    const now = Date.now();
    return (await this.admin.waiting(scope, poolKey, query.limit)).map((e) => presentQueueEntry(e, now));
  }

  @Delete('queue-entries/:id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Force-cancel a SEARCHING entry (ended_reason "admin"); idempotent',
    description: SCOPE_NOTE,
  })
  @ApiOkResponse({ type: QueueEntryDto })
  @ApiProblems(
    400,
    401,
    403,
    404,
    { status: 409, description: 'CANNOT_CANCEL: the entry is MATCHING, MATCHED or TIMED_OUT' },
    503,
  )
  async cancel(
    @Scope() scope: TenantScope,
    @Param('id', OpaqueIdPipe) id: string,
    @Query() _query: SummaryQuery,
  ): Promise<QueueEntryDto> {
    return presentQueueEntry(await this.admin.cancel(scope, id));
  }

  @Get('matches')
  @ApiOperation({ summary: 'Recent match records, newest first', description: SCOPE_NOTE })
  @ApiOkResponse({ type: [MatchRecordDto] })
  @ApiProblems(400, 401, 403, 503)
  matches(@Scope() scope: TenantScope, @Query() query: MatchesQuery): Promise<MatchRecordDto[]> {
    return this.admin.matches(scope, query.status ?? null, query.limit);
  }
}
