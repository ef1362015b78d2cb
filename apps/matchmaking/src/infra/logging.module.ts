import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppConfig } from '@app/config';
import { logTransport } from './log-format';
import { redactUrl } from './redact-url';

const loggers = new WeakMap<AppConfig, Logger>();

/**
 * The app's pino logger, built by pino-http so that `req`, `res` and `err` go through the same wrapped
 * serializers as before; its per-request middleware is not used (logRequest is). `destination`: tests.
 */
export function appLogger(config: AppConfig, destination?: DestinationStream): Logger {
  let logger = loggers.get(config);
  if (!logger) {
    logger = pinoHttp({
      level: config.logLevel,
      transport: logTransport(config.nodeEnv),
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          request_id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      ...(destination ? { stream: destination } : {}),
    }).logger;
    loggers.set(config, logger);
  }
  return logger;
}

/**
 * Nest's logger writes through pino (nestjs-pino, no middleware of its own: `forRoutes: []`, so no
 * AsyncLocalStorage around every request); requests are logged by logRequest, from the service's
 * first middleware (bootstrap.ts), so a request refused before the routes (a bad body, a 404) is logged too.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: { logger: appLogger(config) },
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
