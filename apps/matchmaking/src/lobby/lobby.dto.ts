import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';

export const MODES = ['rated', 'casual'] as const;

export class LobbyQuery {
  @ApiPropertyOptional({ example: 'standard', description: 'only pools of this variant (one of VARIANTS)' })
  @IsOptional()
  @IsString()
  variant?: string;

  @ApiPropertyOptional({ enum: MODES })
  @IsOptional()
  @IsIn(MODES)
  mode?: string;

  @ApiPropertyOptional({ example: '2v2', description: 'only pools of this format (one of FORMATS)' })
  @IsOptional()
  @IsString()
  format?: string;
}

export class LobbyPoolDto {
  @ApiProperty({ example: 'standard_5+0_rated' }) pool_key: string;
  @ApiProperty({ example: '5+0' }) time_control: string;
  @ApiProperty({ enum: MODES }) mode: string;
  @ApiProperty({ example: 'standard' }) variant: string;
  @ApiProperty({ example: '1v1' }) format: string;
  @ApiProperty({ example: 14, description: 'players searching after the pool’s last tick' }) waiting_count: number;
  @ApiProperty({
    example: 8,
    description: 'median wait of the pool’s matches of the last 30 minutes, else the time for the window to widen',
  })
  estimated_wait_seconds: number;
}

export class LobbyDto {
  @ApiProperty({
    type: [LobbyPoolDto],
    description: 'every pool of the caller’s tenant with someone waiting, as of its last tick; busiest first',
  })
  pools: LobbyPoolDto[];
}
