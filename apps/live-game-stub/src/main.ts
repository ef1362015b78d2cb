import { createStubApp, stubUrl } from './index';
import { loadStubSettings, StubConfigError, StubSettings } from './stub-settings';

async function bootstrap(): Promise<void> {
  let settings: StubSettings;
  try {
    settings = loadStubSettings(process.env);
  } catch (err) {
    if (err instanceof StubConfigError) {
      console.error(`live-game-stub: invalid environment variable ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const app = await createStubApp(settings);
  app.enableShutdownHooks();
  await app.listen(settings.port, settings.host);
  const { latencyMs, failureRate, down, finishAfterMs, resultUrl } = settings;
  console.log(
    JSON.stringify({
      msg: 'live-game-stub listening',
      url: stubUrl(app),
      host: settings.host,
      port: settings.port,
      settings: { latencyMs, failureRate, down, finishAfterMs, resultUrl },
    }),
  );
}

bootstrap().catch((err: unknown) => {
  console.error('live-game-stub failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
