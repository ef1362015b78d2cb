import { IncomingMessage, ServerResponse } from 'http';
import type { Level, Logger } from 'pino';

/** 5xx (or a failed response) is an error, 4xx info, everything else debug: at the default level only refusals show. */
export function requestLogLevel(status: number, err?: unknown): Level {
  return err || status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
}

/**
 * One request's line when its response has closed (`started` at its performance.now()), in pino-http's
 * shape (`req` and `res` through the logger's serializers, `responseTime` in ms, "request completed" /
 * "request errored"), but nothing is built until the line is written: no child logger per request, and
 * nothing at a level that hides it. Request ids come from `req.id` (assignRequestId). Called by the
 * service's first middleware (bootstrap.ts), which logs every request.
 */
export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, started: number): void {
  const level = requestLogLevel(res.statusCode);
  if (!logger.isLevelEnabled(level)) return;
  const responseTime = Math.round(performance.now() - started);
  if (res.statusCode >= 500) {
    const err = new Error(`failed with status code ${res.statusCode}`);
    logger[level]({ req, res, err, responseTime }, 'request errored');
  } else {
    logger[level]({ req, res, responseTime }, 'request completed');
  }
}
