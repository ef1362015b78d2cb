import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

/** `white`/`black` end a 1v1 game, `a`/`b` a team game (the other kind is 400); draw and aborted end either. */
export const RESULTS = ['white', 'black', 'a', 'b', 'draw', 'aborted'] as const;

export class RecordResultRequest {
  @ApiProperty({
    enum: RESULTS,
    description: 'white or black for a 1v1 game, a or b (the winning team) for a team game, draw or aborted for either',
  })
  @IsIn(RESULTS)
  result: (typeof RESULTS)[number];
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

export class TeamPlayerRatingChangeDto {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ enum: ['a', 'b'] }) team: string;
  @ApiProperty({
    type: RatingStateDto,
    description: 'OpenSkill μ and σ on the 1500 scale: rating = 1500 + 42 (μ − 25), deviation = 42 σ',
  })
  before: RatingStateDto;
  @ApiProperty({ type: RatingStateDto }) after: RatingStateDto;
}

export class TeamRatingChangesDto {
  @ApiProperty({ example: 'team_blitz' }) category: string;
  @ApiProperty({ type: [TeamPlayerRatingChangeDto], description: 'every player, team a first, by board' })
  players: TeamPlayerRatingChangeDto[];
}

@ApiExtraModels(RatingChangesDto, TeamRatingChangesDto)
export class GameResultDto {
  @ApiProperty({ example: 'g_5f2a' }) game_id: string;
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ enum: RESULTS }) result: string;
  @ApiProperty({ description: 'false when the result had already been recorded (the request was a no-op)' })
  recorded: boolean;
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(RatingChangesDto) }, { $ref: getSchemaPath(TeamRatingChangesDto) }],
    nullable: true,
    description:
      'Both players’ Glicko-2 ratings in the match’s category before and after a 1v1 game, or every player’s ' +
      'team rating (OpenSkill) after a team game; null when no rating changed (a repeated result, an aborted ' +
      'game or a casual game)',
  })
  ratings: RatingChangesDto | TeamRatingChangesDto | null;
}
