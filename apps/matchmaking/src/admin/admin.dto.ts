import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { TeamDto } from '../matches/team-match.dto';

export const MATCH_STATUSES = ['PENDING', 'CREATED', 'FAILED'] as const;

/** `?tenant_id=` is read by the tenant scope; it is declared here so the strict validation accepts it. */
class TenantQuery {
  @ApiPropertyOptional({
    description: 'API key only: restrict to one tenant (an admin JWT always sees its own tenant)',
  })
  @IsOptional()
  @IsString()
  tenant_id?: string;
}

export class SummaryQuery extends TenantQuery {}

export class EntriesQuery extends TenantQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500)
  limit?: number;
}

export class MatchesQuery extends EntriesQuery {
  @ApiPropertyOptional({ enum: MATCH_STATUSES })
  @IsOptional()
  @IsIn(MATCH_STATUSES)
  status?: (typeof MATCH_STATUSES)[number];
}

export class PoolSummaryDto {
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ example: 'standard_5+0_rated' }) pool_key: string;
  @ApiProperty({ example: 3, description: 'players waiting now (every member of a SEARCHING team ticket counts)' })
  waiting_count: number;
  @ApiProperty({ example: 3, description: 'SEARCHING entries (tickets) now; equals waiting_count in a 1v1 pool' })
  tickets: number;
  @ApiProperty({ example: 20.5, description: 'mean wait of the waiting entries; 0 when none wait' })
  avg_wait_seconds: number;
  @ApiProperty({ example: 29.1, description: '95th percentile (continuous) of the waits; 0 when none wait' })
  p95_wait_seconds: number;
  @ApiProperty({ example: 30.2, description: 'longest current wait; 0 when none wait' }) oldest_wait_seconds: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { EU: 2, ANY: 1 },
    description: 'waiting entries per region; entries without a region count under ANY',
  })
  by_region: Record<string, number>;
  @ApiProperty({
    example: 4,
    description: 'games created (matches CREATED, game_created_at) in the last 5 minutes, any source',
  })
  matches_last_5m: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 12.5,
    description: 'median over those games of the mean wait of both players; null when none',
  })
  median_match_wait_seconds_5m: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 42.5,
    description: 'mean rating gap of those games; null when none',
  })
  avg_rating_gap_5m: number | null;
  @ApiProperty({ example: 1, description: 'entries that became TIMED_OUT in the last 5 minutes' })
  timeouts_last_5m: number;
}

export class QueuesSummaryDto {
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({
    type: [PoolSummaryDto],
    description: 'one per (tenant, pool) with waiting entries or activity in the last 5 minutes',
  })
  queues: PoolSummaryDto[];
}

export class MatchRecordDto {
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ enum: ['queue', 'challenge'] }) source: string;
  @ApiProperty({ enum: MATCH_STATUSES }) status: string;
  @ApiProperty({ example: '1v1', description: '1v1, or NvN for a team match (white/black: its board-1 players)' })
  format: string;
  @ApiProperty({ example: 'standard_5+0_rated' }) pool_key: string;
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ enum: ['rated', 'casual'] }) mode: string;
  @ApiProperty({ example: 'standard' }) variant: string;
  @ApiProperty({ example: 'blitz' }) category: string;
  @ApiProperty({ type: String, nullable: true, example: 'EU' }) region: string | null;
  @ApiProperty({ example: 'alice' }) white_user_id: string;
  @ApiProperty({ example: 'bob' }) black_user_id: string;
  @ApiProperty({ type: String, nullable: true }) white_username: string | null;
  @ApiProperty({ type: String, nullable: true }) black_username: string | null;
  @ApiProperty({ example: 1500 }) white_rating: number;
  @ApiProperty({ example: 1560 }) black_rating: number;
  @ApiProperty({ example: 60 }) rating_gap: number;
  @ApiProperty({ type: String, nullable: true, description: 'queue matches only' }) white_entry_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'queue matches only' }) black_entry_id: string | null;
  @ApiProperty({ example: 12000 }) white_wait_ms: number;
  @ApiProperty({ example: 9000 }) black_wait_ms: number;
  @ApiProperty({ type: String, nullable: true, description: 'challenge matches only' }) challenge_id: string | null;
  @ApiProperty({ type: String, nullable: true }) game_id: string | null;
  @ApiProperty({ example: 1, description: 'calls made to the live-game API' }) attempts: number;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['white', 'black', 'a', 'b', 'draw', 'aborted'] })
  result: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) result_at: string | null;
  @ApiProperty({ type: String, nullable: true }) request_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) game_created_at: string | null;
  @ApiPropertyOptional({ type: [TeamDto], description: 'team matches only: both teams, a then b (SPEC §12)' })
  teams?: TeamDto[];
}
