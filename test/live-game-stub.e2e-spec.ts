import request from 'supertest';
import { createStubApp, stubUrl } from '../apps/live-game-stub/src';
import { gameBody, newMatchId, stubClient, useBareStub } from './support/live-game-stub';

/** The live-game stub over real HTTP: creation, idempotency, failure injection. */

describe('live-game stub (e2e)', () => {
  let base: string;
  useBareStub((url) => (base = url));
  const { create, control, games, requests } = stubClient(() => base);

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
});
