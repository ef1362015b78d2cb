import { ApiProperty, ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

export const LEADERBOARD_DEFAULT_CATEGORY = 'blitz';
export const LEADERBOARD_DEFAULT_LIMIT = 50;
export const LEADERBOARD_MAX_LIMIT = 200;
/** SPEC §6: deep offsets cost a scan of every row before them; past this, nobody is browsing. */
export const LEADERBOARD_MAX_OFFSET = 10_000;

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
  @ApiProperty({
    example: 350,
    description: 'Glicko-2 rating deviation, grown by the rating periods sat out since the last rated game',
  })
  deviation: number;
  @ApiProperty({ example: 0 }) games: number;
}

const RATINGS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { $ref: '#/components/schemas/CategoryRating' },
  example: { blitz: { rating: 1500, deviation: 350, games: 0 } },
  description: 'Every rating category, newcomers at 1500',
};

export class PlayerProfile {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty(RATINGS)
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

  @ApiPropertyOptional({ minimum: 0, maximum: LEADERBOARD_MAX_OFFSET, default: 0, description: 'players to skip' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(LEADERBOARD_MAX_OFFSET)
  offset?: number;
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
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 50,
    description: 'the offset of the next page; null on the last page',
  })
  next_offset: number | null;
}

export class PublicProfile {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({
    example: 'Alice',
    nullable: true,
    type: String,
    description: 'the name the player last joined with, else the one of their rated games',
  })
  username: string | null;
  @ApiProperty(RATINGS)
  ratings: Record<string, CategoryRating>;
}
