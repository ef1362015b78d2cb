import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { AppModule } from './app.module';
import { AfterRoutes } from './common/after-routes';
import { jsonBody } from './common/body-shape';
import { hardenHttpServer } from './common/client-error';
import { PrototypedExpressAdapter } from './common/express-adapter';
import { problemOf } from './common/problem.filter';
import { assignRequestId } from './common/request-id';
import { appLogger } from './infra/logging.module';
import { logRequest } from './infra/request-log';
import { setupSwagger } from './docs/swagger';
import { mountJobsDashboard } from './admin/jobs-dashboard';
import { MetricsService } from './metrics/metrics.service';

const WORKER_ROUTES = /^\/(health|metrics)(\/|$)/;

/** Builds the configured application (not yet listening); main.ts and the tests share it. */
export async function createApp(config: AppConfig, options: NestApplicationOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config),
    new PrototypedExpressAdapter(),
    {
      bodyParser: false,
      bufferLogs: true,
      ...options,
    },
  );
  app.useLogger(app.get(Logger));
  hardenHttpServer(app.getHttpServer(), config.http);
  app.disable('x-powered-by');
  app.set('etag', false);
  const metrics = app.get(MetricsService);
  const logger = appLogger(config);
  // one middleware, not four: every request passes here (request id, its timer, its log line, a path we can decode)
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    req.id = assignRequestId(req, res);
    const started = performance.now();
    // one listener for the metric and the line: 'close' ends every response, after 'finish' when it was sent in full
    res.on('close', () => {
      if (res.writableFinished) metrics.observeRequest(req, res, started);
      logRequest(logger, req, res, started);
    });
    if (!decodablePath(req)) return sendProblem(req, res, 404, 'resource not found');
    next();
  });
  if (!config.runsApi) {
    app.use((req: Request, res: Response, next: NextFunction) =>
      WORKER_ROUTES.test(req.path) ? next() : sendProblem(req, res, 404, 'worker replicas serve health routes only'),
    );
  }
  app.use(jsonBody('64kb'));
  // After the routes (AfterRoutes), so a request to a route does not pass them: the jobs dashboard, the
  // API docs, and the problem answer for an error a middleware passed on (a body that does not parse).
  app.get(AfterRoutes).add(() => {
    if (config.runsApi) {
      mountJobsDashboard(app, config);
      setupSwagger(app);
    }
    app.use(middlewareProblem);
  });
  return app;
}

function middlewareProblem(error: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(error);
  const problem = { ...problemOf(error), request_id: (req as { id?: string }).id };
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/**
 * A path with a bad percent-escape (`/queue/q_%`) names nothing of ours: 404, as for any malformed id,
 * before the router fails to decode it as a parameter (a 400).
 */
function decodablePath(req: Request): boolean {
  // most URLs have no escape at all: no need to parse the path out of them
  if (!req.url.includes('%')) return true;
  try {
    decodeURIComponent(req.path);
    return true;
  } catch {
    return false;
  }
}

function sendProblem(req: Request, res: Response, status: number, detail: string) {
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status,
        code: 'NOT_FOUND',
        detail,
        request_id: (req as { id?: string }).id,
      }),
    );
}
