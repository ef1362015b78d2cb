import { TeamMatchDto } from '../matches/team-match.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { DEFAULT_FORMAT } from '@app/core';
import { MODES, REGION_PATTERN } from '@app/core';
import { GameSettingsRequest, MaxJsonBytes } from '../common/game-settings.dto';

export class JoinQueueRequest extends GameSettingsRequest {
  @ApiPropertyOptional({
    example: 'EU',
    description: 'preferred region, [A-Za-z0-9_-]{1,32}, upper-cased; REGIONS may restrict it',
  })
  @IsOptional()
  @IsString()
  @Matches(REGION_PATTERN, { message: 'region must be 1-32 letters, digits, _ or -' })
  region?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'opaque client data, at most 1 KB of JSON',
  })
  @IsOptional()
  @IsObject()
  @MaxJsonBytes(1024)
  client_metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: '2v2',
    default: DEFAULT_FORMAT,
    description: 'one of FORMATS: 1v1, or NvN for a team ticket (a party of the same format, or alone)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,2}v\d{1,2}$/, { message: 'format must look like 1v1 or 2v2' })
  format?: string;

  @ApiPropertyOptional({
    example: 'p_Jx2w9f0aZ1b8cQ3d',
    description: 'queue the caller’s party as one ticket (the leader only; format must be the party’s)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'party_id must be a party id' })
  party_id?: string;
}

export class RatingSnapshotDto {
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ example: 'rated' }) mode: string;
  @ApiProperty({ example: 1540 }) rating: number;
}

export class OpponentDto {
  @ApiProperty({ example: 'bob' }) user_id: string;
  @ApiProperty({ example: 'Bob', nullable: true, type: String }) username: string | null;
  @ApiProperty({ type: RatingSnapshotDto }) rating_snapshot: RatingSnapshotDto;
}

export class TicketMemberDto {
  @ApiProperty({ example: 'bob' }) user_id: string;
  @ApiProperty({ example: 'Bob', nullable: true, type: String }) username: string | null;
  @ApiProperty({ example: 1540, description: 'the member’s rating in the ticket’s category at join' }) rating: number;
}

export const QUEUE_STATUSES = ['SEARCHING', 'MATCHING', 'MATCHED', 'CANCELLED', 'TIMED_OUT'] as const;

export class QueueEntryDto {
  @ApiProperty({ example: 'q_Jx2w9f0aZ1b8cQ3d' }) queue_entry_id: string;
  @ApiProperty({ enum: QUEUE_STATUSES }) status: string;
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ example: 'standard_5+0_rated' }) pool_key: string;
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ enum: MODES }) mode: string;
  @ApiProperty({ example: 'standard' }) variant: string;
  @ApiProperty({ example: '1v1', description: '1v1, or the team format of a ticket' }) format: string;
  @ApiProperty({ example: 'EU', nullable: true, type: String }) region: string | null;
  @ApiProperty({ example: 1500, description: 'a ticket’s: the mean of its members’' }) rating: number;
  @ApiProperty({ format: 'date-time' }) enqueued_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ example: 12 }) estimated_wait_seconds: number;
  @ApiProperty({ nullable: true, type: String }) match_id: string | null;
  @ApiProperty({ nullable: true, type: String }) game_id: string | null;
  @ApiProperty({ enum: ['white', 'black'], nullable: true, type: String }) color: string | null;
  @ApiProperty({ type: OpponentDto, nullable: true }) opponent: OpponentDto | null;
  @ApiProperty({
    enum: ['user', 'admin', 'challenge_accepted', 'party_changed', 'timeout', 'game_creation_failed'],
    nullable: true,
    type: String,
  })
  ended_reason: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'team tickets only: the party it stands for, null for a player queueing a team format alone',
  })
  party_id?: string | null;
  @ApiPropertyOptional({
    type: [TicketMemberDto],
    description: 'team tickets only: its players, the leader (user_id) first',
  })
  members?: TicketMemberDto[];
  @ApiPropertyOptional({
    type: TeamMatchDto,
    nullable: true,
    description: 'team tickets only: the match once paired (color and opponent stay null), else null',
  })
  match?: TeamMatchDto | null;
}
