import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { ErrorCode, ProblemException } from './problem';
import { isDependencyUnavailable } from './unavailable';
import { pgErrorCode } from '@app/persistence';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
const CODES: Record<number, ErrorCode> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'INVALID_REQUEST',
  429: 'RATE_LIMITED',
  503: 'MATCHMAKING_UNAVAILABLE',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  request_id?: string;
  [extra: string]: unknown;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ProblemException) {
    return base(error.getStatus(), error.code, error.message, error.extra);
  }
  if (isDependencyUnavailable(error)) {
    return base(503, 'MATCHMAKING_UNAVAILABLE', 'matchmaking storage is unreachable; retry shortly');
  }
  if (pgErrorCode(error)?.startsWith('22')) {
    return base(400, 'INVALID_REQUEST', 'a value in the request cannot be stored');
  }
  if (error instanceof HttpException && isHealthReport(error.getResponse())) {
    const { info, error: failing, details } = error.getResponse() as Record<string, Record<string, unknown>>;
    return base(error.getStatus(), 'MATCHMAKING_UNAVAILABLE', 'a dependency is not ready', {
      info: statusesOnly(info),
      error: statusesOnly(failing),
      details: statusesOnly(details),
    });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return base(status, CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'INVALID_REQUEST'), httpDetail(error));
  }
  const bodyError = error as { type?: string; status?: number };
  if (bodyError?.type === 'entity.too.large')
    return base(413, 'PAYLOAD_TOO_LARGE', 'request body is larger than 64 KB');
  if (bodyError?.type === 'entity.parse.failed') return base(400, 'INVALID_REQUEST', 'request body is not valid JSON');
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return base(bodyError.status, CODES[bodyError.status] ?? 'INVALID_REQUEST', 'request could not be read');
  }
  return base(500, 'INTERNAL_ERROR', 'unexpected error');
}

function isHealthReport(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && 'details' in body && (body as { status?: unknown }).status === 'error'
  );
}

/** Readiness is public (probes): it says which dependency is down, and the reason goes to the log only. */
function statusesOnly(report: Record<string, unknown> | undefined): Record<string, { status: unknown }> {
  return Object.fromEntries(
    Object.entries(report ?? {}).map(([key, value]) => [key, { status: (value as { status?: unknown })?.status }]),
  );
}

function httpDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

function base(status: number, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://matchmaking.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = problemOf(error);
    problem.request_id = requestIdOf(req);
    if (problem.status >= 500) {
      const report = error instanceof HttpException ? error.getResponse() : undefined;
      this.logger.error({ err: error, report, request_id: problem.request_id }, problem.detail);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    if (problem.status === 429) {
      const retryAfter = (error as { retryAfter?: number }).retryAfter ?? res.getHeader('Retry-After') ?? 60;
      res.setHeader('Retry-After', String(retryAfter));
    }
    if (problem.status === 503) res.setHeader('Retry-After', '5');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

export function requestIdOf(req: Request): string | undefined {
  return (req as unknown as { id?: string }).id;
}
