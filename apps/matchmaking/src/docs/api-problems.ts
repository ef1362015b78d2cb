import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'time_control' }) field: string;
  @ApiProperty({ example: 'must look like "M+I"' }) message: string;
}

export class ProblemDto {
  @ApiProperty({ example: 'https://matchmaking.dev/problems/already-in-queue' }) type: string;
  @ApiProperty({ example: 'Conflict' }) title: string;
  @ApiProperty({ example: 409 }) status: number;
  @ApiProperty({
    example: 'ALREADY_IN_QUEUE',
    enum: [
      'INVALID_REQUEST',
      'SELF_CHALLENGE',
      'PAYLOAD_TOO_LARGE',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'ALREADY_IN_QUEUE',
      'ACTIVE_GAME_EXISTS',
      'CANNOT_CANCEL',
      'INVALID_STATE',
      'CANNOT_ACCEPT',
      'ALREADY_IN_PARTY',
      'PARTY_FULL',
      'RATE_LIMITED',
      'MATCHMAKING_UNAVAILABLE',
      'METHOD_NOT_ALLOWED',
      'INTERNAL_ERROR',
    ],
  })
  code: string;
  @ApiProperty({ example: 'user already has an open queue entry' }) detail: string;
  @ApiProperty({ example: '6f1c2b9e-0c3a-4c43-9d55-1f0e5b1f1b7a' }) request_id: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'at most 20; errors_omitted counts the rest' })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: 'integer', description: 'field errors left out of errors[]', example: 3 })
  errors_omitted?: number;
  @ApiPropertyOptional({ description: 'ALREADY_IN_QUEUE only: the open entry', example: 'q_2Qe1x...' })
  queue_entry_id?: string;
  @ApiPropertyOptional({
    description: 'ALREADY_IN_QUEUE, ACTIVE_GAME_EXISTS and RATE_LIMITED of a party ticket: the member who blocks it',
    example: 'bob',
  })
  user_id?: string;
  @ApiPropertyOptional({ description: 'ACTIVE_GAME_EXISTS: the unfinished match', example: 'm_x1y2' })
  match_id?: string;
  @ApiPropertyOptional({ description: 'ACTIVE_GAME_EXISTS: its game, if created', nullable: true, type: String })
  game_id?: string | null;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'INVALID_REQUEST: malformed JSON, unknown field, wrong type or out-of-range value (see errors[])',
  401: 'UNAUTHORIZED: missing, malformed, expired or wrongly signed credentials',
  403: 'FORBIDDEN: authenticated but not allowed',
  404: 'NOT_FOUND: no such resource for this caller (ids are opaque)',
  409: 'Conflict (see code)',
  413: 'PAYLOAD_TOO_LARGE: body over 64 KB',
  429: 'RATE_LIMITED: too many joins; see Retry-After',
  503: 'MATCHMAKING_UNAVAILABLE: PostgreSQL or Redis unreachable',
};

/** Documents problem+json error responses; `conflicts` lists the 409 codes a route can answer. */
export function ApiProblems(...statuses: (number | { status: number; description: string })[]) {
  return applyDecorators(
    ...statuses.map((s) => {
      const status = typeof s === 'number' ? s : s.status;
      const description = typeof s === 'number' ? DESCRIPTIONS[s] : s.description;
      return ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
      });
    }),
  );
}
