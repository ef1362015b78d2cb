import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const RESULTS = ['white', 'black', 'draw', 'aborted'] as const;

export class RecordResultRequest {
  @ApiProperty({ enum: RESULTS }) @IsIn(RESULTS) result: (typeof RESULTS)[number];
}

export class GameResultDto {
  @ApiProperty({ example: 'g_5f2a' }) game_id: string;
  @ApiProperty({ example: 'm_x1y2' }) match_id: string;
  @ApiProperty({ example: 'default' }) tenant_id: string;
  @ApiProperty({ enum: RESULTS }) result: string;
  @ApiProperty({ description: 'false when the result had already been recorded (the request was a no-op)' })
  recorded: boolean;
}
