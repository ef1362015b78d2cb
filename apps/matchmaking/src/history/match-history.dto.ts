import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TeamDto } from '../matches/team-match.dto';

export const HISTORY_DEFAULT_LIMIT = 20;
export const HISTORY_MAX_LIMIT = 100;

export class MatchPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({
    example: 'm_x1y2',
    description: 'the last match_id of the previous page (its next_before): the page continues after it',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a match_id' })
  before?: string;
}

export class MatchPlayerDto {
  @ApiProperty({ example: 'bob' }) user_id: string;
  @ApiProperty({ nullable: true, type: String, example: 'Bob' }) username: string | null;
  @ApiProperty({ enum: ['white', 'black'] }) color: string;
  @ApiProperty({ example: 1512, description: 'the rating when the pair was made' }) rating: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 1512,
    description:
      'rating when the result was rated (Glicko-2; a team game’s OpenSkill team rating on the same scale); ' +
      'null unless the game was rated',
  })
  rating_before: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 1530, description: 'rating after the rated result' })
  rating_after: number | null;
}

export class MatchOpponentDto {
  @ApiProperty({ example: 'bob' }) user_id: string;
  @ApiProperty({ nullable: true, type: String, example: 'Bob' }) username: string | null;
  @ApiProperty({ enum: ['white', 'black'] }) color: string;
  @ApiProperty({ example: 1512 }) rating: number;
}

export class MatchSummaryDto {
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ enum: ['PENDING', 'CREATED', 'FAILED'], description: 'the game is being created, exists, or failed' })
  status: string;
  @ApiProperty({ enum: ['queue', 'challenge'] }) source: string;
  @ApiProperty({ example: 'standard_5+0_rated' }) pool_key: string;
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ enum: ['rated', 'casual'] }) mode: string;
  @ApiProperty({ example: 'standard' }) variant: string;
  @ApiProperty({ example: '1v1' }) format: string;
  @ApiProperty({ example: 'blitz' }) category: string;
  @ApiProperty({ enum: ['white', 'black'], description: 'the caller’s colour' }) color: string;
  @ApiProperty({
    type: MatchOpponentDto,
    description: 'the other side; in a team match, the other team’s player on the caller’s board',
  })
  opponent: MatchOpponentDto;
  @ApiProperty({
    type: [MatchPlayerDto],
    description: 'both sides, white first; in a team match every player, team a first, by board',
  })
  players: MatchPlayerDto[];
  @ApiPropertyOptional({ type: [TeamDto], description: 'team matches only: both teams, a then b (SPEC §12)' })
  teams?: TeamDto[];
  @ApiProperty({ nullable: true, type: String, example: 'g_5f2a' }) game_id: string | null;
  @ApiProperty({
    nullable: true,
    enum: ['white', 'black', 'a', 'b', 'draw', 'aborted', null],
    description: 'who won: a colour in a 1v1 game, a team in a team game',
  })
  result: string | null;
  @ApiProperty({
    nullable: true,
    enum: ['win', 'loss', 'draw', 'aborted', null],
    description: 'the result from the caller’s side; null until there is one',
  })
  outcome: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) result_at: string | null;
}

export class MatchPageDto {
  @ApiProperty({ type: [MatchSummaryDto], description: 'the caller’s matches, newest first' })
  matches: MatchSummaryDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'm_x1y2',
    description: 'pass as `before` for the next page; null on the last page',
  })
  next_before: string | null;
}
