import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

export const LEADERBOARD_DEFAULT_CATEGORY = 'blitz';
export const LEADERBOARD_DEFAULT_LIMIT = 50;
export const LEADERBOARD_MAX_LIMIT = 200;

export class SetRatingRequest {
  @ApiProperty({ minimum: 1, maximum: 4000, example: 1720 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(4000)
  rating: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, example: 80, description: 'Glicko-2 rating deviation' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(500)
  deviation?: number;
}

export class CategoryRating {
  @ApiProperty({ example: 1500 }) rating: number;
  @ApiProperty({ example: 350 }) deviation: number;
  @ApiProperty({ example: 0 }) games: number;
}

export class PlayerProfile {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/CategoryRating' },
    example: { blitz: { rating: 1500, deviation: 350, games: 0 } },
    description: 'Every rating category, newcomers at 1500',
  })
  ratings: Record<string, CategoryRating>;
}

export class CategoryRatingWithName extends CategoryRating {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ example: 'blitz' }) category: string;
}

export class LeaderboardQuery {
  @ApiPropertyOptional({
    example: 'blitz',
    default: LEADERBOARD_DEFAULT_CATEGORY,
    description: 'a rating category: bullet, blitz, rapid, classical or an allowed variant other than standard',
  })
  @IsOptional()
  @IsString()
  category?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: LEADERBOARD_MAX_LIMIT, default: LEADERBOARD_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LEADERBOARD_MAX_LIMIT)
  limit?: number;
}

export class LeaderboardPlayer {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({
    example: 'Alice',
    nullable: true,
    type: String,
    description: 'the name last seen in a rated game, if any',
  })
  username: string | null;
  @ApiProperty({ example: 1712 }) rating: number;
  @ApiProperty({ example: 84.2 }) deviation: number;
  @ApiProperty({ example: 37 }) games: number;
}

export class Leaderboard {
  @ApiProperty({ example: 'blitz' }) category: string;
  @ApiProperty({
    type: [LeaderboardPlayer],
    description: 'players of the caller’s tenant with at least one rated game, best first (rating, then user_id)',
  })
  players: LeaderboardPlayer[];
}
