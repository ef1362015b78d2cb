import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createStubApp, StubSettings, stubUrl } from '../../apps/live-game-stub/src';
import { startApp, TestApp } from './test-app';

export const STUB_TOKEN = 'stub-token-for-tests';

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
    return request(this.url).put('/control').send(settings).expect(200);
  }

  async requests(key?: string): Promise<any[]> {
    const res = await request(this.url)
      .get(`/control/requests${key ? `?idempotency_key=${key}` : ''}`)
      .expect(200);
    return res.body;
  }

  async games(): Promise<any[]> {
    return (await request(this.url).get('/control/games').expect(200)).body;
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

/** The live-game stub and a service wired to it (no join rate limit in the way of the test). */
export async function startWithStub(overrides: Record<string, string> = {}): Promise<{ stub: Stub; t: TestApp }> {
  const stub = await Stub.start();
  const t = await startApp({
    LIVE_GAME_API_URL: stub.url,
    LIVE_GAME_API_TOKEN: STUB_TOKEN,
    RATE_LIMIT_JOINS_PER_MINUTE: '1000',
    ...overrides,
  });
  return { stub, t };
}
