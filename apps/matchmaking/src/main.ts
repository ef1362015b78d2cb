import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { createApp } from './bootstrap';

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
  // SIGTERM: stop taking work, let BullMQ workers finish their jobs, close connections, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.port, config.host);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
