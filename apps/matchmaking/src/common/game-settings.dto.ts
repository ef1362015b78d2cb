import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, registerDecorator, ValidationOptions } from 'class-validator';
import { MODES, parseTimeControl } from '@app/core';

export const TIME_CONTROL_RULE = 'must be "M+I": M minutes 0-180, I increment seconds 0-180, not both 0';

export function IsTimeControl(options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'isTimeControl',
      target: target.constructor,
      propertyName: property,
      options: { message: `${property} ${TIME_CONTROL_RULE}`, ...options },
      validator: { validate: (value: unknown) => parseTimeControl(value) !== null },
    });
}

export function MaxJsonBytes(bytes: number, options?: ValidationOptions) {
  return (target: object, property: string) =>
    registerDecorator({
      name: 'maxJsonBytes',
      target: target.constructor,
      propertyName: property,
      options: { message: `${property} must be at most ${bytes} bytes of JSON`, ...options },
      validator: { validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null)) <= bytes },
    });
}

/** What a game is: the fields a queue join and a challenge share. */
export class GameSettingsRequest {
  @ApiProperty({ example: '5+0', description: TIME_CONTROL_RULE })
  @IsString()
  @IsTimeControl()
  time_control: string;

  @ApiPropertyOptional({ enum: MODES, default: 'rated' })
  @IsOptional()
  @IsIn(MODES)
  mode?: (typeof MODES)[number];

  @ApiPropertyOptional({ example: 'standard', default: 'standard', description: 'one of VARIANTS' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{1,32}$/, { message: 'variant must be a lower-case variant name' })
  variant?: string;
}
