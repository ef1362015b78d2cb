import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { DEFAULT_FORMAT, MODES } from '@app/core';
import { USER_ID_PATTERN, USER_ID_RULE } from '../auth/identifiers';
import { GameSettingsRequest } from '../common/game-settings.dto';
import { CHALLENGE_STATUSES, DECLINE_REASONS, DeclineReason, PREFERRED_COLORS, PreferredColor } from '@app/persistence';

export class CreateChallengeRequest extends GameSettingsRequest {
  @ApiProperty({ example: 'bob', description: 'the challenged user: 1-64 of A-Z a-z 0-9 . _ @ | -' })
  @IsString()
  @Matches(USER_ID_PATTERN, { message: `opponent_user_id ${USER_ID_RULE}` })
  opponent_user_id: string;

  @ApiPropertyOptional({ enum: PREFERRED_COLORS, default: 'random', description: 'the challenger’s colour' })
  @IsOptional()
  @IsIn(PREFERRED_COLORS)
  preferred_color?: PreferredColor;

  @ApiPropertyOptional({ enum: [DEFAULT_FORMAT], default: DEFAULT_FORMAT, description: 'challenges are 1v1 only' })
  @IsOptional()
  @IsIn([DEFAULT_FORMAT], { message: 'format must be 1v1: a challenge is between two players' })
  format?: string;
}

export class DeclineChallengeRequest {
  @ApiPropertyOptional({ enum: DECLINE_REASONS, default: 'generic' })
  @IsOptional()
  @IsIn(DECLINE_REASONS)
  reason?: DeclineReason;
}

export class ChallengerDto {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ example: 'Alice', nullable: true, type: String }) username: string | null;
  @ApiProperty({ example: 1500, description: 'the challenger’s rating in the challenge’s category' }) rating: number;
}

export class ChallengeDto {
  @ApiProperty({ example: 'c_Jx2w9f0aZ1b8cQ3d' }) challenge_id: string;
  @ApiProperty({ enum: CHALLENGE_STATUSES }) status: string;
  @ApiProperty({ example: 'alice' }) challenger_user_id: string;
  @ApiProperty({ example: 'bob' }) opponent_user_id: string;
  @ApiProperty({ type: ChallengerDto }) challenger: ChallengerDto;
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ enum: MODES }) mode: string;
  @ApiProperty({ example: 'standard' }) variant: string;
  @ApiProperty({ enum: PREFERRED_COLORS }) preferred_color: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ enum: DECLINE_REASONS, nullable: true, type: String }) decline_reason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'set once accepted' }) match_id: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'set once the game exists' }) game_id: string | null;
}
