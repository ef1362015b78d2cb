import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AddressInfo } from 'net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../../libs/config/src';
import { createApp } from '../../apps/matchmaking/src/bootstrap';
import { createTestStorage, TestStorage } from './test-env';

export const TEST_JWT_SECRET = 'test-secret-for-e2e-only-0123456789';
export const TEST_API_KEY = 'test-internal-api-key-0123456789';

/** Test timings: fast ticks and sweeps so behaviour shows within a second or two. */
export const FAST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  JWT_SECRET: TEST_JWT_SECRET,
  INTERNAL_API_KEY: TEST_API_KEY,
  MATCH_TICK_MS: '100',
  TIMEOUT_SWEEP_MS: '200',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'silent',
  GAME_CREATE_BACKOFF_MS: '50',
  LIVE_GAME_API_TIMEOUT_MS: '2000',
  ACCEPT_WAIT_MS: '2000',
  // Processes stopped by the tests exit at once; the shutdown test sets its own delays.
  SHUTDOWN_DELAY_MS: '0',
  SHUTDOWN_DRAIN_MS: '2000',
};

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  url: string;
  storage: TestStorage;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

export function envFor(storage: TestStorage, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...FAST_ENV,
    DATABASE_URL: storage.databaseUrl,
    REDIS_URL: storage.redisUrl,
    REDIS_KEY_PREFIX: storage.redisKeyPrefix,
    PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  };
}

/** A real service (HTTP, PostgreSQL, Redis, BullMQ) on a random port, with storage of its own. */
export async function startApp(overrides: Record<string, string> = {}, storage?: TestStorage): Promise<TestApp> {
  storage ??= await createTestStorage();
  const config = loadConfig(envFor(storage, overrides));
  const app = await createApp(config, { logger: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    config,
    url,
    storage,
    db: app.get(DataSource),
    http: () => request(url),
    close: () => app.close(),
  };
}

const jwt = new JwtService({ secret: TEST_JWT_SECRET });

export interface TokenClaims {
  tenant_id?: string;
  username?: string;
  preferred_username?: string;
  roles?: string[];
  [claim: string]: unknown;
}

export function tokenFor(
  userId: string,
  claims: TokenClaims = {},
  options: { expiresIn?: number; secret?: string } = {},
): string {
  return jwt.sign(
    { sub: userId, ...claims },
    { expiresIn: options.expiresIn ?? 3600, secret: options.secret ?? TEST_JWT_SECRET, algorithm: 'HS256' },
  );
}

export const bearer = (userId: string, claims?: TokenClaims) => ({
  Authorization: `Bearer ${tokenFor(userId, claims)}`,
});
export const apiKey = { 'x-api-key': TEST_API_KEY };

export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tenant ids unique to the test run, so every test has pools of its own. */
export function tenantIds(prefix: string): () => string {
  let seq = 0;
  return () => `${prefix}${Date.now().toString(36)}${seq++}`;
}

/**
 * A service of the file's own, started before its tests and closed after them; `onStart` receives it
 * (and may seed data) before the first test runs.
 */
export function useService(overrides: Record<string, string>, onStart: (t: TestApp) => unknown): void {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startApp(overrides);
    await onStart(started);
  });
  afterAll(() => started?.close());
}
