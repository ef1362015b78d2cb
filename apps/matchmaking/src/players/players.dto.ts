import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';

export class SetRatingRequest {
  @ApiProperty({ minimum: 1, maximum: 4000, example: 1720 })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(4000)
  rating: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, example: 80, description: 'Glicko-2 rating deviation' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1) @Max(500)
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
