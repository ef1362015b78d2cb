import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createStubApp, StubSettings, stubUrl } from '../../apps/live-game-stub/src';
import { startApp, TestApp } from './test-app';

export const STUB_TOKEN = 'stub-token-for-tests';

/** The control API of a live-game stub at `url`. */
export const controlStub = (url: string, settings: Record<string, unknown>) =>
  request(url).put('/control').send(settings).expect(200);

export async function stubRequests(url: string, key?: string): Promise<any[]> {
  const res = await request(url)
    .get(`/control/requests${key ? `?idempotency_key=${key}` : ''}`)
    .expect(200);
  return res.body;
}

export async function stubGames(url: string): Promise<any[]> {
  return (await request(url).get('/control/games').expect(200)).body;
}

/** The live-game stub on a random port, called over real HTTP like the real API. */
export class Stub {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
  ) {}

  static async start(overrides: Partial<StubSettings> = {}): Promise<Stub> {
    const app = await createStubApp({ requiredToken: STUB_TOKEN, ...overrides }, { logger: false });
    await app.listen(0, '127.0.0.1');
    return new Stub(app, stubUrl(app));
  }

  control(settings: Record<string, unknown>) {
    return controlStub(this.url, settings);
  }

  requests(key?: string): Promise<any[]> {
    return stubRequests(this.url, key);
  }

  games(): Promise<any[]> {
    return stubGames(this.url);
  }

  /** Back to answering every request at once and successfully. */
  healthy() {
    return this.control({ failure_rate: 0, fail_next: { count: 0 }, latency_ms: 0, down: false });
  }

  reset() {
    return request(this.url)
      .post('/control/reset')
      .expect((r) => r.status < 300);
  }

  close() {
    return this.app.close();
  }
}

export interface StubbedService {
  stub: Stub;
  t: TestApp;
}

/** The live-game stub and a service wired to it (no join rate limit in the way of the test). */
export async function startWithStub(overrides: Record<string, string> = {}): Promise<StubbedService> {
  const stub = await Stub.start();
  const t = await startApp({
    LIVE_GAME_API_URL: stub.url,
    LIVE_GAME_API_TOKEN: STUB_TOKEN,
    RATE_LIMIT_JOINS_PER_MINUTE: '1000',
    ...overrides,
  });
  return { stub, t };
}

/**
 * `startWithStub` for the file's tests: started before them (`onStart` receives both), the stub made
 * healthy again after each test, both closed after the last. Answers a getter of the service, for
 * helpers bound before it starts.
 */
export function useStubbedService(
  overrides: Record<string, string>,
  onStart: (started: StubbedService) => unknown,
): () => TestApp {
  let started: StubbedService | undefined;
  beforeAll(async () => {
    started = await startWithStub(overrides);
    await onStart(started);
  });
  afterEach(() => started?.stub.healthy());
  afterAll(async () => {
    await started?.t.close();
    await started?.stub.close();
  });
  return () => started!.t;
}
