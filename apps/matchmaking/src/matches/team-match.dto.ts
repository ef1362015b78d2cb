import { ApiProperty } from '@nestjs/swagger';

export class TeamPlayerDto {
  @ApiProperty({ example: 'alice' }) user_id: string;
  @ApiProperty({ nullable: true, type: String, example: 'Alice' }) username: string | null;
  @ApiProperty({ example: 1540, description: 'the rating when the match was made' }) rating: number;
  @ApiProperty({ example: 1, minimum: 1, description: 'board 1 is the team’s highest-rated player' }) board: number;
  @ApiProperty({ enum: ['white', 'black'], description: 'team a has white on odd boards, team b on even ones' })
  color: string;
}

export class TeamDto {
  @ApiProperty({ enum: ['a', 'b'] }) team: string;
  @ApiProperty({ example: 1520, description: 'the mean of its players’ ratings when the match was made' })
  rating: number;
  @ApiProperty({ type: [TeamPlayerDto], description: 'by board' }) players: TeamPlayerDto[];
}

/** A team match as its players see it (SPEC §12): on history, the admin view, queue entries and `/active`. */
export class TeamMatchDto {
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ nullable: true, type: String, example: 'g_5f2a' }) game_id: string | null;
  @ApiProperty({ example: '2v2' }) format: string;
  @ApiProperty({ type: [TeamDto], description: 'team a, then team b' }) teams: TeamDto[];
}
