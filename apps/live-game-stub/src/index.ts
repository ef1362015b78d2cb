import { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { LiveGameStubModule } from './live-game-stub.module';
import { assertValidSettings, loadStubSettings, StubSettings } from './stub-settings';

export * from './stub-settings';
export type { GameRecord, GameRequestRecord, ResultPostStatus } from './games.types';
export { LiveGameStubModule } from './live-game-stub.module';

export interface CreateStubAppOptions {
  /**
   * Passed to NestFactory.create. Note Nest applies it process-wide (static Logger).
   * Default: ['error', 'warn', 'fatal'], or Nest's default logger when settings.log is true.
   * Use 'inherit' to leave the process-wide logger untouched.
   */
  logger?: LoggerService | LogLevel[] | false | 'inherit';
}

/**
 * Builds the live-game stub (not yet listening). Settings = env (STUB_*) overridden by `overrides`.
 *
 *   const app = await createStubApp({ latencyMs: 0 });
 *   await app.listen(0);
 *   const base = stubUrl(app); // http://127.0.0.1:<port>
 */
export async function createStubApp(
  overrides: Partial<StubSettings> = {},
  options: CreateStubAppOptions = {},
): Promise<INestApplication> {
  const fromEnv = loadStubSettings(process.env);
  const settings: StubSettings = {
    ...fromEnv,
    ...overrides,
    failNext: { ...fromEnv.failNext, ...(overrides.failNext ?? {}) },
  };
  assertValidSettings(settings);
  const logger =
    'logger' in options ? options.logger : settings.log ? undefined : (['error', 'warn', 'fatal'] as LogLevel[]);
  return NestFactory.create(LiveGameStubModule.forRoot(settings), {
    abortOnError: false,
    ...(logger === undefined || logger === 'inherit' ? {} : { logger }),
  });
}

/** `http://127.0.0.1:<port>` of a listening stub (app.getUrl() may give an IPv6 address). */
export function stubUrl(app: INestApplication): string {
  const address = app.getHttpServer().address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') throw new Error('live-game stub is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}
