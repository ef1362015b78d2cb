import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const RESULTS = ['white', 'black', 'draw', 'aborted'] as const;

export class RecordResultRequest {
  @ApiProperty({ enum: RESULTS }) @IsIn(RESULTS) result: (typeof RESULTS)[number];
}

export class RatingStateDto {
  @ApiProperty({ example: 1662, description: 'Glicko-2 rating, rounded to an integer' }) rating: number;
  @ApiProperty({ example: 290.3, description: 'Glicko-2 rating deviation, rounded to one decimal' }) deviation: number;
  @ApiProperty({ example: 1, description: 'rated games played in this category' }) games: number;
}

export class PlayerRatingChangeDto {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ type: RatingStateDto }) before: RatingStateDto;
  @ApiProperty({ type: RatingStateDto }) after: RatingStateDto;
}

export class RatingChangesDto {
  @ApiProperty({ example: 'blitz' }) category: string;
  @ApiProperty({ type: PlayerRatingChangeDto }) white: PlayerRatingChangeDto;
  @ApiProperty({ type: PlayerRatingChangeDto }) black: PlayerRatingChangeDto;
}

export class GameResultDto {
  @ApiProperty({ example: 'g_5f2a' }) game_id: string;
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ enum: RESULTS }) result: string;
  @ApiProperty({ description: 'false when the result had already been recorded (the request was a no-op)' })
  recorded: boolean;
  @ApiProperty({
    type: RatingChangesDto,
    nullable: true,
    description:
      'Both players’ Glicko-2 ratings in the match’s category before and after this game; null when no rating ' +
      'changed (a repeated result, an aborted game or a casual game)',
  })
  ratings: RatingChangesDto | null;
}
