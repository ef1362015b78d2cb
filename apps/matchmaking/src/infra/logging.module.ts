import { Module } from '@nestjs/common';
import { IncomingMessage } from 'http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { logTransport } from './log-format';
import { redactUrl } from './redact-url';

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          transport: logTransport(config.nodeEnv),
          genReqId: (req: IncomingMessage) => req.id,
          redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              request_id: req.id,
              method: req.method,
              url: redactUrl(req.url),
            }),
            res: (res: { statusCode: number }) => ({ status: res.statusCode }),
          },
          customLogLevel: (_req: unknown, res: { statusCode: number }, err?: unknown) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
