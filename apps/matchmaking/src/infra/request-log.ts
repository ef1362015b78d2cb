import { IncomingMessage, ServerResponse } from 'http';
import type { Level, Logger } from 'pino';

/** 5xx (or a failed response) is an error, 4xx info, everything else debug: at the default level only refusals show. */
export function requestLogLevel(status: number, err?: unknown): Level {
  return err || status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
}

/**
 * One line per request when it ends, in pino-http's shape (`req` and `res` through the logger's
 * serializers, `responseTime` in ms, "request completed" / "request errored"), but nothing is built
 * until the line is written: no child logger per request, and at a level that hides it, a request
 * costs one listener. Request ids come from `req.id` (assignRequestId, earlier in the chain).
 */
export function requestLog(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    logWhenDone(logger, req, res);
    next();
  };
}

/** requestLog's listener alone, for the service's first middleware (bootstrap.ts), which logs every request. */
export function logWhenDone(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  const started = Date.now();
  // 'close' follows 'finish' on every response, and alone marks one whose client went away first;
  // it is emitted once, so `on` (no once-wrapper to build and remove)
  res.on('close', () => {
    const level = requestLogLevel(res.statusCode);
    if (!logger.isLevelEnabled(level)) return;
    const responseTime = Date.now() - started;
    if (res.statusCode >= 500) {
      const err = new Error(`failed with status code ${res.statusCode}`);
      logger[level]({ req, res, err, responseTime }, 'request errored');
    } else {
      logger[level]({ req, res, responseTime }, 'request completed');
    }
  });
}
