import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { createApp } from './bootstrap';
import { shutdownOnSignals } from './lifecycle/graceful-shutdown';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  // SIGTERM: readiness 503, drain event streams, stop taking work, finish current jobs, close connections, exit 0.
  shutdownOnSignals(app, config);
  await app.listen(config.port, config.host);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
