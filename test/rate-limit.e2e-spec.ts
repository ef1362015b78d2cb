import { postJoin } from './support/api';
import { bearer, startApp, TestApp } from './support/test-app';

describe('join rate limit', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startApp({ ROLE: 'api', RATE_LIMIT_JOINS_PER_MINUTE: '4' });
    b = await startApp({ ROLE: 'api', RATE_LIMIT_JOINS_PER_MINUTE: '4' }, a.storage);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts every join of a user across replicas, whatever its outcome, and answers 429 with Retry-After', async () => {
    const join = (app: TestApp, body: object) => postJoin(app, bearer('spammer'), body);
    const statuses = [
      (await join(a, { time_control: '5+0' })).status, // 201
      (await join(b, { time_control: '5+0' })).status, // 409, still counted
      (await join(a, { time_control: 'bad' })).status, // 400, still counted
      (await join(b, { time_control: '5+0' })).status, // 409
    ];
    expect(statuses).toEqual([201, 409, 400, 409]);
    const limited = await join(a, { time_control: '5+0' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const limitedOnB = await join(b, { time_control: 'bad' });
    expect(limitedOnB.status).toBe(429);
  });

  it('counts users separately', async () => {
    const res = await postJoin(a, bearer('polite'), { time_control: '5+0' });
    expect(res.status).toBe(201);
  });

  it('does not limit reads', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await a.http().get('/v1/matchmaking/active').set(bearer('spammer'))).status).toBe(200);
    }
  });
});
