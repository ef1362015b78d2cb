import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { checkHttpUrl, DOWN_MODES, DownMode, GAME_RESULTS, GameResult } from './stub-settings';

/** An absolute http(s) URL; unlike IsUrl it accepts docker-style hostnames such as http://match_making:3000. */
const IsHttpUrl = () =>
  ValidateBy({
    name: 'isHttpUrl',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && checkHttpUrl(v) === null,
      defaultMessage: (args) => `${args?.property} must be an absolute http:// or https:// URL`,
    },
  });

/** Present (not undefined) values are validated, so `null` is rejected for non-nullable fields. */
const IfPresent = () => ValidateIf((_o: unknown, v: unknown) => v !== undefined);

export class FailNextDto {
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  count: number;

  /** Defaults to 500 when omitted. */
  @IsOptional()
  @IsInt()
  @Min(400)
  @Max(599)
  status?: number;
}

/** Body of `PUT /control`: any subset; nullable fields accept null to clear them. */
export class UpdateControlDto {
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(600_000)
  latency_ms?: number;

  @IfPresent()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  failure_rate?: number;

  @IfPresent()
  @IsInt()
  @Min(400)
  @Max(599)
  failure_status?: number;

  @IfPresent()
  @IsBoolean()
  down?: boolean;

  @IfPresent()
  @IsIn(DOWN_MODES)
  down_mode?: DownMode;

  @IfPresent()
  @ValidateNested()
  @Type(() => FailNextDto)
  fail_next?: FailNextDto;

  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  finish_after_ms?: number;

  @IsOptional()
  @IsHttpUrl()
  result_url?: string | null;

  @IsOptional()
  @IsString()
  result_api_key?: string | null;

  @IsOptional()
  @IsIn(GAME_RESULTS)
  fixed_result?: GameResult | null;

  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(100)
  result_max_attempts?: number;

  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(600_000)
  result_retry_base_ms?: number;

  @IsOptional()
  @IsString()
  required_token?: string | null;

  @IfPresent()
  @IsBoolean()
  log?: boolean;
}

/** Body of `POST /control/games/:gameId/finish` (optional). */
export class FinishGameDto {
  @IsOptional()
  @IsIn(GAME_RESULTS)
  result?: GameResult | null;
}
