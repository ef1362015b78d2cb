import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { TeamMatchDto } from '../matches/team-match.dto';
import { MatchRecord } from '@app/persistence';
import { QueueEntryDto } from './queue.dto';

export class ActiveOpponentDto {
  @ApiProperty({ example: 'bob' }) user_id: string;
  @ApiProperty({ nullable: true, type: String }) username: string | null;
  @ApiProperty({ example: 1512 }) rating: number;
}

export class ActiveMatchDto {
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ nullable: true, type: String, description: 'null while the game is being created' }) game_id:
    string | null;
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ enum: ['rated', 'casual'] }) mode: string;
  @ApiProperty({ example: 'standard' }) variant: string;
  @ApiProperty({ enum: ['white', 'black'] }) color: string;
  @ApiProperty({ type: ActiveOpponentDto }) opponent: ActiveOpponentDto;
}

@ApiExtraModels(ActiveMatchDto, TeamMatchDto)
export class ActiveDto {
  @ApiProperty({ type: QueueEntryDto, nullable: true }) queue_entry: QueueEntryDto | null;
  @ApiProperty({
    oneOf: [{ $ref: getSchemaPath(ActiveMatchDto) }, { $ref: getSchemaPath(TeamMatchDto) }],
    nullable: true,
    description: 'a 1v1 match with your colour and opponent, or a team match with both teams',
  })
  match: ActiveMatchDto | TeamMatchDto | null;
}

export function presentActiveMatch(m: MatchRecord, userId: string): ActiveMatchDto {
  const white = m.whiteUserId === userId;
  return {
    match_id: m.id,
    game_id: m.gameId,
    time_control: m.timeControl,
    mode: m.mode,
    variant: m.variant,
    color: white ? 'white' : 'black',
    opponent: white
      ? { user_id: m.blackUserId, username: m.blackUsername, rating: m.blackRating }
      : { user_id: m.whiteUserId, username: m.whiteUsername, rating: m.whiteRating },
  };
}
