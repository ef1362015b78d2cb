import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DrainService } from './drain.service';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * SIGTERM the way Kubernetes sends it: readiness turns 503 at once, the api keeps serving for
 * `SHUTDOWN_DELAY_MS` while the endpoints controller takes the pod out of the Service, then open
 * event streams get up to `SHUTDOWN_DRAIN_MS` to finish (the rest are ended, so clients reconnect
 * to another replica), and only then does Nest close: workers finish their jobs, connections close.
 * This replaces `enableShutdownHooks`, whose handler would close everything at the first signal.
 */
export function shutdownOnSignals(app: INestApplication, config: AppConfig): void {
  const logger = new Logger('Shutdown');
  const drain = app.get(DrainService);
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    drain.begin();
    logger.log({ signal, open_streams: drain.openStreams }, 'draining: readiness is now 503');
    if (config.runsApi && config.shutdown.delayMs > 0) await sleep(config.shutdown.delayMs);
    const ended = await drain.waitForStreams(config.shutdown.drainMs);
    logger.log({ ended_streams: ended }, 'event streams drained; closing');
    await app.close();
    process.exit(0);
  };
  for (const signal of SIGNALS) {
    process.on(signal, (s: NodeJS.Signals) => {
      shutdown(s).catch((error: unknown) => {
        logger.error(error);
        process.exit(1);
      });
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
