import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, registerDecorator, ValidationOptions } from 'class-validator';
import { MODES, parseTimeControl, REGION_PATTERN } from '@app/core';

export const TIME_CONTROL_RULE = 'must be "M+I": M minutes 0-180, I increment seconds 0-180, not both 0';

export function IsTimeControl(options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'isTimeControl',
      target: target.constructor,
      propertyName: property,
      options: { message: `${property} ${TIME_CONTROL_RULE}`, ...options },
      validator: { validate: (value: unknown) => parseTimeControl(value) !== null },
    });
}

export function MaxJsonBytes(bytes: number, options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'maxJsonBytes',
      target: target.constructor,
      propertyName: property,
      options: { message: `${property} must be at most ${bytes} bytes of JSON`, ...options },
      validator: { validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null)) <= bytes },
    });
}

export class JoinQueueRequest {
  @ApiProperty({ example: '5+0', description: TIME_CONTROL_RULE })
  @IsString()
  @IsTimeControl()
  time_control: string;

  @ApiPropertyOptional({ enum: MODES, default: 'rated' })
  @IsOptional()
  @IsIn(MODES)
  mode?: (typeof MODES)[number];

  @ApiPropertyOptional({ example: 'standard', default: 'standard', description: 'one of VARIANTS' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'variant must be a lower-case variant name' })
  variant?: string;

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
  @ApiProperty({ example: 'EU', nullable: true, type: String }) region: string | null;
  @ApiProperty({ example: 1500 }) rating: number;
  @ApiProperty({ format: 'date-time' }) enqueued_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ example: 12 }) estimated_wait_seconds: number;
  @ApiProperty({ nullable: true, type: String }) match_id: string | null;
  @ApiProperty({ nullable: true, type: String }) game_id: string | null;
  @ApiProperty({ enum: ['white', 'black'], nullable: true, type: String }) color: string | null;
  @ApiProperty({ type: OpponentDto, nullable: true }) opponent: OpponentDto | null;
  @ApiProperty({
    enum: ['user', 'admin', 'challenge_accepted', 'timeout', 'game_creation_failed'],
    nullable: true,
    type: String,
  })
  ended_reason: string | null;
}
