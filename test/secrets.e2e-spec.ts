import { spawnSync } from 'child_process';
import path from 'path';
import request from 'supertest';
import { ServiceProcess } from './support/service-process';
import { createTestStorage } from './support/test-env';
import { envFor, startApp, TEST_API_KEY, TestApp, tokenFor } from './support/test-app';

const MAIN = path.join(__dirname, '../dist/apps/matchmaking/src/main.js');

describe('secrets', () => {
  it('never logs a token or api key from a query string, however it is spelled', async () => {
    const service = await ServiceProcess.start({
      ...envFor(await createTestStorage()),
      ROLE: 'api',
      LOG_LEVEL: 'debug',
    });
    try {
      const jwt = tokenFor('lena');
      const paths = [
        `/v1/matchmaking/queue/q_x/events?access_token=x&access_token=${jwt}`,
        `/v1/matchmaking/queue/q_x/events?access%5Ftoken=${jwt}`,
        `/v1/matchmaking/queue/q_x/events?ACCESS_TOKEN=${jwt}`,
        `/v1/matchmaking/queue/q_x/events?access_token[]=${jwt}`,
        `/internal/queues/summary?x-api-key=${TEST_API_KEY}`,
        `/internal/queues/summary?x%2Dapi%2Dkey=${TEST_API_KEY}&tenant_id=t1`,
      ];
      for (const p of paths) await request(service.url).get(p);
      const authenticated = await request(service.url).get(`/v1/matchmaking/queue/q_x/events?access%5Ftoken=${jwt}`);
      expect(authenticated.status).toBe(404);
      await new Promise((r) => setTimeout(r, 300));
      expect(service.output).toContain('/v1/matchmaking/queue/q_x/events');
      expect(service.output).toContain('tenant_id=t1');
      expect(service.output).not.toContain(jwt.split('.')[2]);
      expect(service.output).not.toContain(TEST_API_KEY);
    } finally {
      await service.stop();
    }
  });

  it('logs a request refused before the routes (a body that does not parse) with its request id, not its token', async () => {
    const service = await ServiceProcess.start({
      ...envFor(await createTestStorage()),
      ROLE: 'api',
      LOG_LEVEL: 'info',
    });
    try {
      const jwt = tokenFor('mira');
      const res = await request(service.url)
        .post('/v1/matchmaking/queue')
        .set('authorization', `Bearer ${jwt}`)
        .set('x-request-id', 'bad-body-1')
        .set('content-type', 'application/json')
        .send('{"time_control":');
      expect(res.status).toBe(400);
      await new Promise((r) => setTimeout(r, 300));
      const lines = service.output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; req?: { request_id?: string }; res?: { status?: number } });
      const logged = lines.find((line) => line.req?.request_id === 'bad-body-1');
      expect(logged).toMatchObject({ msg: 'request completed', res: { status: 400 } });
      expect(service.output).not.toContain(jwt.split('.')[2]);
    } finally {
      await service.stop();
    }
  });

  it.each([
    [{ JWT_SECRET: 'tiny-secret' }, 'JWT_SECRET', 'tiny-secret'],
    [{ JWT_SECRET: 'a-secret-of-sixteen-chars', INTERNAL_API_KEY: 'short-key' }, 'INTERNAL_API_KEY', 'short-key'],
    [
      { JWT_SECRET: 'a-secret-of-sixteen-chars', DATABASE_URL: 'mysql://user:hunter2-pass@db/x' },
      'DATABASE_URL',
      'hunter2-pass',
    ],
  ])('names a bad secret without printing its value (%j)', (env, variable, secret) => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(variable);
    expect(result.stderr + result.stdout).not.toContain(secret);
  });

  describe('/metrics with METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp({ ROLE: 'api', METRICS_TOKEN: 'metrics-token-0123456789' });
    });
    afterAll(() => t.close());

    it('asks for the bearer token when one is configured', async () => {
      const none = await t.http().get('/metrics');
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('UNAUTHORIZED');
      expect((await t.http().get('/metrics').set('Authorization', 'Bearer wrong-token')).status).toBe(401);
      const ok = await t.http().get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789');
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('process_cpu_user_seconds_total');
    });
  });
});
