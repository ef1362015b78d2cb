import { INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createStubApp, stubUrl } from '../apps/live-game-stub/src';

/** The live-game stub over real HTTP: creation, idempotency, failure injection, control API, finishing games. */

function gameBody(matchId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    match_id: matchId,
    tenant_id: 'tenant-1',
    white_player_id: 'player-w',
    black_player_id: 'player-b',
    time_control: '5+3',
    mode: 'rated',
    variant: 'standard',
    rating_snapshot: { white: 1500, black: 1520 },
    metadata: { matchmaking_source: 'queue', region: 'eu' },
    ...overrides,
  };
}

let seq = 0;
const newMatchId = () => `m_${process.pid}_${Date.now()}_${++seq}`;

interface ReceivedResult {
  method: string;
  url: string;
  apiKey: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A tiny stand-in for the matchmaking service's result endpoint. */
class ResultReceiver {
  readonly received: ReceivedResult[] = [];
  /** Statuses to answer with, in order; 200 once exhausted. */
  statuses: number[] = [];
  private server: Server;

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* keep raw text */
        }
        this.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          apiKey: req.headers['x-api-key'] as string | undefined,
          contentType: req.headers['content-type'],
          body,
        });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end();
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live-game stub (e2e)', () => {
  let app: INestApplication;
  let base: string;

  const create = (matchId: string, body: Record<string, unknown> = gameBody(matchId)) =>
    request(base).post('/v1/games').set('Idempotency-Key', matchId).send(body);
  const control = (patch: Record<string, unknown>) => request(base).put('/control').send(patch).expect(200);
  const games = async () => (await request(base).get('/control/games').expect(200)).body as Array<Record<string, any>>;
  const requests = async () =>
    (await request(base).get('/control/requests').expect(200)).body as Array<Record<string, any>>;

  beforeAll(async () => {
    app = await createStubApp({ latencyMs: 0, failureRate: 0, down: false, requiredToken: null, finishAfterMs: 0 });
    await app.listen(0);
    base = stubUrl(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    await request(base).post('/control/reset').expect(200);
  });

  it('answers GET /health', async () => {
    await request(base).get('/health').expect(200, { status: 'ok' });
  });

  it('stubUrl gives an IPv4 loopback URL', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates a game (201) and replays the same game_id (200) for the same Idempotency-Key', async () => {
    const matchId = newMatchId();
    const first = await create(matchId).expect(201);
    expect(first.body).toEqual({ game_id: expect.stringMatching(/^g_[0-9a-z]+$/) });

    const second = await create(matchId).expect(200);
    expect(second.body.game_id).toBe(first.body.game_id);

    const created = await games();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      game_id: first.body.game_id,
      match_id: matchId,
      body: gameBody(matchId),
      result: null,
    });
    expect(typeof created[0].created_at).toBe('string');

    const log = await requests();
    expect(log.map((r) => [r.idempotency_key, r.status_returned, r.game_id])).toEqual([
      [matchId, 201, first.body.game_id],
      [matchId, 200, first.body.game_id],
    ]);
    expect(log[0]).toMatchObject({ authorization: null, body: gameBody(matchId) });
    expect(typeof log[0].received_at).toBe('string');
  });

  it('different keys create different games', async () => {
    const a = await create(newMatchId()).expect(201);
    const b = await create(newMatchId()).expect(201);
    expect(a.body.game_id).not.toBe(b.body.game_id);
    expect(await games()).toHaveLength(2);
  });

  it('concurrent duplicates (10 at once, same key) create exactly one game', async () => {
    await control({ latency_ms: 100 });
    const matchId = newMatchId();
    const responses = await Promise.all(Array.from({ length: 10 }, () => create(matchId)));

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map((r) => r.body.game_id));
    expect(ids.size).toBe(1);

    const created = await games();
    expect(created).toHaveLength(1);
    expect(created[0].game_id).toBe([...ids][0]);
    expect(await requests()).toHaveLength(10);
  });

  it('rejects a missing Idempotency-Key with 400 {error}', async () => {
    const res = await request(base).post('/v1/games').send(gameBody(newMatchId())).expect(400);
    expect(res.body).toEqual({ error: expect.stringContaining('Idempotency-Key') });
    expect(await games()).toHaveLength(0);
  });

  it('rejects malformed bodies with 400 {error}', async () => {
    const matchId = newMatchId();
    const bad = gameBody(matchId, { rating_snapshot: { white: 'x' }, metadata: { matchmaking_source: 'lobby' } });
    const res = await create(matchId, bad).expect(400);
    expect(res.body.error).toContain('rating_snapshot.white');
    expect(res.body.error).toContain('metadata.matchmaking_source');

    const invalidJson = await request(base)
      .post('/v1/games')
      .set('Idempotency-Key', matchId)
      .set('Content-Type', 'application/json')
      .send('{"match_id":')
      .expect(400);
    expect(typeof invalidJson.body.error).toBe('string');

    const mismatch = await create('another-key', gameBody(matchId)).expect(400);
    expect(mismatch.body.error).toContain('match_id');
    expect(await games()).toHaveLength(0);
  });

  it('enforces the required bearer token when one is set', async () => {
    await control({ required_token: 'sekret' });
    const matchId = newMatchId();
    await create(matchId).expect(401);
    await create(matchId).set('Authorization', 'Bearer wrong').expect(401);
    expect(await games()).toHaveLength(0);

    await create(matchId).set('Authorization', 'Bearer sekret').expect(201);
    const log = await requests();
    expect(log.map((r) => r.status_returned)).toEqual([401, 401, 201]);
    expect(log[2].authorization).toBe('Bearer sekret');
  });

  it('enforces the required bearer token given at creation (createStubApp override)', async () => {
    const guarded = await createStubApp({ requiredToken: 'abc' });
    await guarded.listen(0);
    try {
      const url = stubUrl(guarded);
      const matchId = newMatchId();
      await request(url).post('/v1/games').set('Idempotency-Key', matchId).send(gameBody(matchId)).expect(401);
      await request(url)
        .post('/v1/games')
        .set('Idempotency-Key', matchId)
        .set('Authorization', 'Bearer abc')
        .send(gameBody(matchId))
        .expect(201);
    } finally {
      await guarded.close();
    }
  });

  it('failure_rate 1 fails every request with failure_status without creating or consuming the key; 0 then creates', async () => {
    await control({ failure_rate: 1, failure_status: 502 });
    const matchId = newMatchId();
    for (let i = 0; i < 3; i++) {
      const res = await create(matchId).expect(502);
      expect(typeof res.body.error).toBe('string');
    }
    expect(await games()).toHaveLength(0);

    await control({ failure_rate: 0 });
    const ok = await create(matchId).expect(201);
    const created = await games();
    expect(created).toHaveLength(1);
    expect(created[0].game_id).toBe(ok.body.game_id);
    expect((await requests()).map((r) => r.status_returned)).toEqual([502, 502, 502, 201]);
  });

  it('fail_next {count: 2, status: 500} fails exactly the next two requests, then creates', async () => {
    const settings = await control({ fail_next: { count: 2, status: 500 } });
    expect(settings.body.fail_next).toEqual({ count: 2, status: 500 });
    const matchId = newMatchId();
    await create(matchId).expect(500);
    await create(matchId).expect(500);
    const ok = await create(matchId).expect(201);
    await create(matchId).expect(200);
    expect((await games()).map((g) => g.game_id)).toEqual([ok.body.game_id]);
    expect((await request(base).get('/control').expect(200)).body.fail_next.count).toBe(0);
  });

  it('down answers 503 (status mode) or drops the connection (reset mode)', async () => {
    await control({ down: true });
    const matchId = newMatchId();
    const res = await create(matchId).expect(503);
    expect(typeof res.body.error).toBe('string');

    await control({ down_mode: 'reset' });
    await expect(create(matchId)).rejects.toThrow();
    expect(await games()).toHaveLength(0);

    await control({ down: false });
    await create(matchId).expect(201);
  });

  it('applies latency before answering', async () => {
    const latency = 300;
    await control({ latency_ms: latency });
    const started = performance.now();
    await create(newMatchId()).expect(201);
    // 1 ms slack: libuv rounds timer deadlines to whole milliseconds
    expect(performance.now() - started).toBeGreaterThanOrEqual(latency - 1);
  });

  describe('finishing games', () => {
    let receiver: ResultReceiver;
    let receiverUrl: string;

    beforeEach(async () => {
      receiver = new ResultReceiver();
      receiverUrl = await receiver.start();
    });

    afterEach(async () => {
      await request(base).post('/control/reset').expect(200);
      await receiver.stop();
    });

    it('posts a random result to {result_url}/internal/games/{id}/result with x-api-key after finish_after_ms', async () => {
      await control({ finish_after_ms: 100, result_url: receiverUrl, result_api_key: 'test-key' });
      const started = Date.now();
      const { body } = await create(newMatchId()).expect(201);

      const got = await waitFor(() => receiver.received[0]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      expect(got.method).toBe('POST');
      expect(got.url).toBe(`/internal/games/${body.game_id}/result`);
      expect(got.apiKey).toBe('test-key');
      expect(got.contentType).toContain('application/json');
      expect(got.body).toEqual({ result: expect.stringMatching(/^(white|black|draw)$/) });

      const game = await waitFor(async () => (await games()).find((g) => g.result_post?.state === 'posted'));
      expect(game.result).toBe((got.body as { result: string }).result);
    });

    it('uses fixed_result and retries when the receiver fails', async () => {
      receiver.statuses = [503, 500];
      await control({
        finish_after_ms: 50,
        result_url: receiverUrl,
        result_api_key: 'k2',
        fixed_result: 'draw',
        result_retry_base_ms: 20,
      });
      const { body } = await create(newMatchId()).expect(201);

      await waitFor(() => (receiver.received.length >= 3 ? true : undefined));
      expect(receiver.received.map((r) => r.body)).toEqual([
        { result: 'draw' },
        { result: 'draw' },
        { result: 'draw' },
      ]);
      const game = await waitFor(async () => (await games()).find((g) => g.result_post?.state === 'posted'));
      expect(game).toMatchObject({
        game_id: body.game_id,
        result: 'draw',
        result_post: { attempts: 3, last_status: 200 },
      });
    });

    it('POST /control/games/:id/finish finishes a game on demand', async () => {
      await control({ result_url: receiverUrl, result_api_key: 'k3' });
      const { body } = await create(newMatchId()).expect(201);
      const finished = await request(base)
        .post(`/control/games/${body.game_id}/finish`)
        .send({ result: 'white' })
        .expect(200);
      expect(finished.body).toMatchObject({ game_id: body.game_id, result: 'white', result_post: { state: 'posted' } });
      expect(receiver.received).toEqual([
        expect.objectContaining({
          url: `/internal/games/${body.game_id}/result`,
          apiKey: 'k3',
          body: { result: 'white' },
        }),
      ]);
      await request(base).post('/control/games/g_unknown/finish').send({}).expect(404);
    });
  });

  describe('control API', () => {
    it('GET /control shows the settings; PUT applies a subset', async () => {
      const before = (await request(base).get('/control').expect(200)).body;
      expect(before).toMatchObject({
        latency_ms: 0,
        failure_rate: 0,
        failure_status: 503,
        down: false,
        finish_after_ms: 0,
      });

      const after = (await control({ latency_ms: 25, failure_status: 429 })).body;
      expect(after).toEqual({ ...before, latency_ms: 25, failure_status: 429 });
    });

    it.each([
      [{ failure_rate: 2 }],
      [{ failure_rate: -0.1 }],
      [{ latency_ms: -1 }],
      [{ latency_ms: 'fast' }],
      [{ failure_status: 200 }],
      [{ down: 'yes' }],
      [{ down_mode: 'explode' }],
      [{ fail_next: { count: -1, status: 500 } }],
      [{ fail_next: { count: 1, status: 99 } }],
      [{ fixed_result: 'checkmate' }],
      [{ result_url: 'not a url' }],
      [{ unknown_setting: true }],
    ])('rejects %j with 400 and leaves settings unchanged', async (patch) => {
      const before = (await request(base).get('/control').expect(200)).body;
      const res = await request(base).put('/control').send(patch).expect(400);
      expect(typeof res.body.error).toBe('string');
      expect((await request(base).get('/control').expect(200)).body).toEqual(before);
    });

    it('POST /control/reset clears requests and games and restores start-up settings', async () => {
      await create(newMatchId()).expect(201);
      await control({ latency_ms: 10, down: true, fixed_result: 'black' });
      const reset = await request(base).post('/control/reset').expect(200);
      expect(reset.body).toMatchObject({ latency_ms: 0, down: false, fixed_result: null });
      expect(await games()).toEqual([]);
      expect(await requests()).toEqual([]);
    });
  });
});
