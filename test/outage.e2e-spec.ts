import { bearer, startApp, TestApp, waitFor } from './support/test-app';
import { createTestStorage } from './support/test-env';
import { TcpProxy } from './support/tcp-proxy';

describe('dependency outages', () => {
  let t: TestApp;
  const pg = new TcpProxy('127.0.0.1', 5432);
  const redis = new TcpProxy('127.0.0.1', 6379);

  beforeAll(async () => {
    await pg.start();
    await redis.start();
    const storage = await createTestStorage();
    t = await startApp(
      {},
      { ...storage, databaseUrl: pg.url(storage.databaseUrl), redisUrl: redis.url(storage.redisUrl) },
    );
  });
  afterAll(async () => {
    await t.close();
    await pg.cut();
    await redis.cut();
  });

  const ready = () => t.http().get('/health/ready');

  it('is live and ready while PostgreSQL and Redis answer', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.info).toMatchObject({
      postgres: { status: 'up' },
      redis: { status: 'up' },
      bullmq: { status: 'up' },
    });
  });

  it('answers 503 MATCHMAKING_UNAVAILABLE and readiness 503 while PostgreSQL is gone, then recovers', async () => {
    await pg.cut();
    const join = await t.http().post('/v1/matchmaking/queue').set(bearer('pat')).send({ time_control: '5+0' });
    expect(join.status).toBe(503);
    expect(join.body).toMatchObject({ status: 503, code: 'MATCHMAKING_UNAVAILABLE' });
    expect(join.body.request_id).toBeTruthy();
    const read = await t.http().get('/v1/matchmaking/active').set(bearer('pat'));
    expect(read.status).toBe(503);
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.error.postgres.status).toBe('down');
    expect(notReady.body.error.postgres).toEqual({ status: 'down' }); // the reason is logged, not shown
    expect((await t.http().get('/health/live')).status).toBe(200);

    await pg.restore();
    await waitFor(async () => (await ready()).status === 200, 15000, 200);
    const after = await t.http().post('/v1/matchmaking/queue').set(bearer('pat')).send({ time_control: '5+0' });
    expect(after.status).toBe(201);
  });

  it('answers 503 while Redis is gone, then recovers', async () => {
    await redis.cut();
    const join = await t.http().post('/v1/matchmaking/queue').set(bearer('quinn')).send({ time_control: '5+0' });
    expect(join.status).toBe(503);
    expect(join.body.code).toBe('MATCHMAKING_UNAVAILABLE');
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body.error.redis.status).toBe('down');
    expect(JSON.stringify(notReady.body)).not.toMatch(/message|ECONN|timeout|no answer/i);

    await redis.restore();
    await waitFor(async () => (await ready()).status === 200, 15000, 200);
    const after = await t.http().post('/v1/matchmaking/queue').set(bearer('quinn')).send({ time_control: '5+0' });
    expect(after.status).toBe(201);
  });
});
