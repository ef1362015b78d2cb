import { HttpException } from '@nestjs/common';

export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'SELF_CHALLENGE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ALREADY_IN_QUEUE'
  | 'ACTIVE_GAME_EXISTS'
  | 'CANNOT_CANCEL'
  | 'INVALID_STATE'
  | 'CANNOT_ACCEPT'
  | 'ALREADY_IN_PARTY'
  | 'PARTY_FULL'
  | 'RATE_LIMITED'
  | 'MATCHMAKING_UNAVAILABLE'
  | 'METHOD_NOT_ALLOWED'
  | 'INTERNAL_ERROR';

export interface FieldError {
  field: string;
  message: string;
}

/** A domain failure that the exception filter renders as RFC 9457 problem details. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail, status);
  }
}

export const notFound = (what = 'resource') => new ProblemException(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (detail: string) => new ProblemException(403, 'FORBIDDEN', detail);
export const invalid = (field: string, message: string) =>
  new ProblemException(400, 'INVALID_REQUEST', `${field}: ${message}`, { errors: [{ field, message }] });

/** 429 RATE_LIMITED; the filter sends `retryAfterSeconds` as the Retry-After header. */
export class RateLimitedException extends ProblemException {
  readonly retryAfter: number;

  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', detail);
    this.retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
