import net from 'net';
import { apiKey, bearer, startApp, TestApp, tokenFor } from './support/test-app';

/** Sends raw bytes on one connection and collects what comes back until the server closes it. */
function rawExchange(url: string, bytes: string, waitMs: number): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let text = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server held the connection for ${waitMs} ms; got ${JSON.stringify(text)}`));
    }, waitMs).unref();
  });
}

const problemBody = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ ROLE: 'api', HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' });
  });
  afterAll(() => t.close());

  const join = (body: string | object, user = 'nina') =>
    t.http().post('/v1/matchmaking/queue').set(bearer(user)).set('Content-Type', 'application/json').send(body);

  describe('the job dashboard', () => {
    it('is for operators only: a tenant admin gets 403, an operator JWT or the API key get in', async () => {
      const admin = tokenFor('root', { tenant_id: 'acme', roles: ['admin'] });
      for (const path of ['/internal/jobs', '/internal/jobs/api/queues']) {
        const asAdmin = await t
          .http()
          .get(path)
          .set({ Authorization: `Bearer ${admin}` });
        expect(asAdmin.status).toBe(403);
        expect(asAdmin.body.code).toBe('FORBIDDEN');
      }
      expect((await t.http().get(`/internal/jobs?access_token=${admin}`)).status).toBe(403);
      const pause = await t
        .http()
        .put('/internal/jobs/api/queues/matching/pause')
        .set({ Authorization: `Bearer ${admin}` });
      expect(pause.status).toBe(403);
      const operator = bearer('ops', { roles: ['operator'] });
      expect((await t.http().get('/internal/jobs/api/queues').set(operator)).status).toBe(200);
      expect((await t.http().get('/internal/jobs/api/queues').set(apiKey)).status).toBe(200);
    });

    it('answers a cookie with a bad percent-escape with 401, not 500', async () => {
      const res = await t.http().get('/internal/jobs').set({ Cookie: 'mm_jobs_token=%E0%A4%A' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('request bodies', () => {
    it('refuses JSON nested deeper than 32 levels with 400 before validation', async () => {
      const deep = (n: number) =>
        '{"client_metadata":' + '{"a":'.repeat(n) + '1' + '}'.repeat(n) + ',"time_control":"5+0"}';
      const res = await join(deep(5000));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(res.body.detail).toMatch(/32/);
      const array = await join('['.repeat(40) + ']'.repeat(40));
      expect(array.status).toBe(400);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key as an unknown field', async (key) => {
      const res = await join(`{"time_control":"5+0","${key}":{"x":1}}`, `p-${key.replace(/_/g, '')}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: key })]);
      const nested = await join(`{"time_control":"5+0","client_metadata":{"${key}":1}}`, `n-${key.replace(/_/g, '')}`);
      expect(nested.status).toBe(400);
      expect(nested.body.errors).toEqual([expect.objectContaining({ field: `client_metadata.${key}` })]);
    });

    it('caps the errors listed in a validation problem', async () => {
      const body: Record<string, number> = { time_control: 5 };
      for (let i = 0; i < 5000; i++) body[`f${i}`] = i;
      const res = await join(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.errors.length).toBeLessThanOrEqual(20);
      expect(res.body.errors_omitted).toBeGreaterThan(4900);
      expect(res.text.length).toBeLessThan(8000);
    });
  });

  describe('the Authorization header', () => {
    it('refuses a 15 KB header without spaces with 401 before parsing it', async () => {
      const res = await t
        .http()
        .get('/v1/matchmaking/active')
        .set({ Authorization: 'B'.repeat(15_000) });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
      expect(res.body.detail).toMatch(/too long/);
      const long = await t
        .http()
        .get('/v1/matchmaking/active')
        .set({ Authorization: `Bearer ${'a'.repeat(15_000)}` });
      expect(long.status).toBe(401);
    });

    it('still takes a well-formed bearer token, whatever the scheme’s case', async () => {
      const res = await t
        .http()
        .get('/v1/matchmaking/active')
        .set({ Authorization: `bearer ${tokenFor('olga')}` });
      expect(res.status).toBe(200);
    });
  });

  describe('malformed ids', () => {
    it.each([
      ['get', '/v1/matchmaking/queue/%E0%A4%A'],
      ['get', '/v1/matchmaking/queue/q_%'],
      ['delete', '/v1/matchmaking/queue/q_%'],
      ['get', '/v1/matchmaking/queue/q_%/events'],
      ['get', '/v1/matchmaking/challenges/%E0%A4%A'],
      ['post', '/v1/matchmaking/challenges/q_%/accept'],
      ['post', '/v1/matchmaking/challenges/q_%/decline'],
      ['delete', '/v1/matchmaking/challenges/q_%'],
    ] as const)('answers a bad percent-escape in %s %s with 404', async (method, path) => {
      const res = await t.http()[method](path).set(bearer('pia')).send({});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('answers a NUL in a game id or a pool key with 404', async () => {
      const game = await t.http().post('/internal/games/g%00x/result').set(apiKey).send({ result: 'draw' });
      expect(game.status).toBe(404);
      const pool = await t.http().get('/internal/queues/standard_5%2B0%00_rated/entries').set(apiKey);
      expect(pool.status).toBe(404);
    });
  });

  describe('errors Node raises itself', () => {
    it('answers oversized headers with a 431 problem', async () => {
      const { text } = await rawExchange(
        t.url,
        `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        5000,
      );
      expect(text).toMatch(/^HTTP\/1\.1 431 /);
      expect(text).toMatch(/content-type: application\/problem\+json/i);
      expect(problemBody(text)).toMatchObject({ status: 431, code: 'INVALID_REQUEST' });
    });

    it('answers a malformed request line with a 400 problem', async () => {
      const { text } = await rawExchange(t.url, 'NOT A REQUEST\r\n\r\n', 5000);
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(problemBody(text)).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    });

    it('closes a connection that never finishes its headers with a 408 problem after HTTP_HEADERS_TIMEOUT_MS', async () => {
      const { text, closedAfterMs } = await rawExchange(t.url, 'GET /health/live HTTP/1.1\r\nHost: x\r\n', 10_000);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(problemBody(text)).toMatchObject({ status: 408 });
      expect(closedAfterMs).toBeLessThan(4000);
    });
  });
});
