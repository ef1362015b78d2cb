import request from 'supertest';
import { apiKey, bearer, startApp, tenantIds, TestApp, tokenFor, waitFor } from './support/test-app';
import { startWithStub, Stub, STUB_TOKEN } from './support/stub';

const newTenant = tenantIds('t');

describe('matching and game creation', () => {
  let stub: Stub;
  let t: TestApp;

  beforeAll(async () => {
    ({ stub, t } = await startWithStub({
      RATING_WINDOW_INITIAL: '100',
      RATING_WINDOW_STEP: '25',
      RATING_WINDOW_STEP_SECONDS: '1',
      REGION_FALLBACK_SECONDS: '2',
      REMATCH_COOLDOWN_SECONDS: '3',
      GAME_CREATE_ATTEMPTS: '3',
      GAME_CREATE_BACKOFF_MS: '50',
      ACTIVE_GAME_CHECK: 'false',
    }));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });
  afterEach(() => stub.healthy());

  const join = async (tenant: string, user: string, body: object = { time_control: '5+0' }) => {
    const res = await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer(user, { tenant_id: tenant, username: user.toUpperCase() }))
      .send(body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const entry = async (tenant: string, user: string, id: string) =>
    (
      await t
        .http()
        .get(`/v1/matchmaking/queue/${id}`)
        .set(bearer(user, { tenant_id: tenant }))
    ).body;
  const untilStatus = (tenant: string, user: string, id: string, status: string, timeoutMs = 8000) =>
    waitFor(async () => {
      const e = await entry(tenant, user, id);
      return e.status === status && e;
    }, timeoutMs);
  const setRating = (tenant: string, user: string, category: string, rating: number) =>
    t
      .http()
      .put(`/internal/players/${user}/ratings/${category}?tenant_id=${tenant}`)
      .set(apiKey)
      .send({ rating })
      .expect(200);
  const stillSearchingAfter = async (ms: number, tenant: string, ...entries: [string, string][]) => {
    await new Promise((r) => setTimeout(r, ms));
    for (const [user, id] of entries) expect((await entry(tenant, user, id)).status).toBe('SEARCHING');
  };

  it('pairs two compatible players and creates exactly one game with the documented request', async () => {
    const tenant = newTenant();
    await setRating(tenant, 'ann', 'blitz', 1510);
    const a = await join(tenant, 'ann', { time_control: '3+2', region: 'eu' });
    const b = await join(tenant, 'ben', { time_control: '3+2', region: 'EU' });
    const ea = await untilStatus(tenant, 'ann', a.queue_entry_id, 'MATCHED');
    const eb = await untilStatus(tenant, 'ben', b.queue_entry_id, 'MATCHED');
    expect(ea.game_id).toBeTruthy();
    expect(eb.game_id).toBe(ea.game_id);
    expect(ea.match_id).toBe(eb.match_id);
    expect(new Set([ea.color, eb.color])).toEqual(new Set(['white', 'black']));
    expect(ea.opponent).toEqual({
      user_id: 'ben',
      username: 'BEN',
      rating_snapshot: { time_control: '3+2', mode: 'rated', rating: 1500 },
    });
    expect(eb.opponent).toEqual({
      user_id: 'ann',
      username: 'ANN',
      rating_snapshot: { time_control: '3+2', mode: 'rated', rating: 1510 },
    });

    const requests = await stub.requests(ea.match_id);
    expect(requests).toHaveLength(1);
    const [white, black] = ea.color === 'white' ? ['ann', 'ben'] : ['ben', 'ann'];
    expect(requests[0].idempotency_key).toBe(ea.match_id);
    expect(requests[0].authorization).toBe(`Bearer ${STUB_TOKEN}`);
    expect(requests[0].body).toEqual({
      match_id: ea.match_id,
      tenant_id: tenant,
      white_player_id: white,
      black_player_id: black,
      time_control: '3+2',
      mode: 'rated',
      variant: 'standard',
      rating_snapshot: { white: white === 'ann' ? 1510 : 1500, black: black === 'ann' ? 1510 : 1500 },
      metadata: { matchmaking_source: 'queue', region: 'EU' },
    });

    const active = await t
      .http()
      .get('/v1/matchmaking/active')
      .set(bearer('ann', { tenant_id: tenant }));
    expect(active.body.queue_entry).toBeNull();
    expect(active.body.match).toEqual({
      match_id: ea.match_id,
      game_id: ea.game_id,
      time_control: '3+2',
      mode: 'rated',
      variant: 'standard',
      color: ea.color,
      opponent: { user_id: 'ben', username: 'BEN', rating: 1500 },
    });
    const cancel = await t
      .http()
      .delete(`/v1/matchmaking/queue/${a.queue_entry_id}`)
      .set(bearer('ann', { tenant_id: tenant }));
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('CANNOT_CANCEL');
  });

  it('never pairs different pools or tenants', async () => {
    const tenant = newTenant();
    const other = newTenant();
    const a = await join(tenant, 'cat', { time_control: '5+0' });
    const b = await join(tenant, 'dan', { time_control: '5+0', mode: 'casual' });
    const c = await join(other, 'eve', { time_control: '5+0' });
    await stillSearchingAfter(800, tenant, ['cat', a.queue_entry_id], ['dan', b.queue_entry_id]);
    expect((await entry(other, 'eve', c.queue_entry_id)).status).toBe('SEARCHING');
  });

  it('widens the window with waiting time and requires the gap to fit both windows', async () => {
    const tenant = newTenant();
    await setRating(tenant, 'low', 'blitz', 1500);
    await setRating(tenant, 'high', 'blitz', 1650);
    const low = await join(tenant, 'low', { time_control: '3+0' });
    // Alone, low's window grows to 100 + 25·3 = 175 ≥ 150 …
    await new Promise((r) => setTimeout(r, 3200));
    const high = await join(tenant, 'high', { time_control: '3+0' });
    // … but the newcomer's window is 100 < 150, so they are not paired yet,
    await stillSearchingAfter(600, tenant, ['low', low.queue_entry_id], ['high', high.queue_entry_id]);
    // until the newcomer has waited two steps (150).
    const matched = await untilStatus(tenant, 'high', high.queue_entry_id, 'MATCHING', 6000).catch(() =>
      untilStatus(tenant, 'high', high.queue_entry_id, 'MATCHED', 100),
    );
    expect(matched.opponent.user_id).toBe('low');
  });

  it('keeps regions apart until the fallback wait, then pairs across regions', async () => {
    const tenant = newTenant();
    const eu = await join(tenant, 'eu1', { time_control: '10+0', region: 'EU' });
    const na = await join(tenant, 'na1', { time_control: '10+0', region: 'NA' });
    await stillSearchingAfter(1200, tenant, ['eu1', eu.queue_entry_id], ['na1', na.queue_entry_id]);
    const matched = await untilStatus(tenant, 'eu1', eu.queue_entry_id, 'MATCHED', 6000);
    expect(matched.opponent.user_id).toBe('na1');
  });

  it('pairs a player without a region with anyone', async () => {
    const tenant = newTenant();
    await join(tenant, 'any1', { time_control: '10+5' });
    const eu = await join(tenant, 'eu2', { time_control: '10+5', region: 'EU' });
    const matched = await untilStatus(tenant, 'eu2', eu.queue_entry_id, 'MATCHED', 3000);
    expect(matched.opponent.user_id).toBe('any1');
  });

  it('does not pair the same two players again within the rematch cooldown', async () => {
    const tenant = newTenant();
    const a1 = await join(tenant, 'rex', { time_control: '2+1' });
    await join(tenant, 'sam', { time_control: '2+1' });
    const first = await untilStatus(tenant, 'rex', a1.queue_entry_id, 'MATCHED');
    const a2 = await join(tenant, 'rex', { time_control: '2+1' });
    const b2 = await join(tenant, 'sam', { time_control: '2+1' });
    await stillSearchingAfter(1000, tenant, ['rex', a2.queue_entry_id], ['sam', b2.queue_entry_id]);
    const second = await untilStatus(tenant, 'rex', a2.queue_entry_id, 'MATCHED', 8000);
    expect(second.match_id).not.toBe(first.match_id);
  });

  it('gives white to the player who had white less often', async () => {
    const tenant = newTenant();
    const a = await join(tenant, 'uma', { time_control: '1+0' });
    await join(tenant, 'vic', { time_control: '1+0' });
    const first = await untilStatus(tenant, 'uma', a.queue_entry_id, 'MATCHED');
    const hadWhite = first.color === 'white' ? 'uma' : 'vic';
    const again = await join(tenant, hadWhite, { time_control: '1+0' });
    await join(tenant, 'wes', { time_control: '1+0' });
    const second = await untilStatus(tenant, hadWhite, again.queue_entry_id, 'MATCHED');
    expect(second.opponent.user_id).toBe('wes');
    expect(second.color).toBe('black');
  });

  it('retries 5xx answers with the same key and makes one game', async () => {
    await stub.control({ fail_next: { count: 2, status: 503 } });
    const tenant = newTenant();
    const a = await join(tenant, 'xen', { time_control: '4+2' });
    await join(tenant, 'yul', { time_control: '4+2' });
    const done = await untilStatus(tenant, 'xen', a.queue_entry_id, 'MATCHED');
    const requests = await stub.requests(done.match_id);
    expect(requests.map((r) => r.status_returned)).toEqual([503, 503, 201]);
    expect(new Set(requests.map((r) => r.idempotency_key))).toEqual(new Set([done.match_id]));
    const [match] = await t.db.query(`SELECT status, attempts, game_id FROM matches WHERE id = $1`, [done.match_id]);
    expect(match).toEqual({ status: 'CREATED', attempts: 3, game_id: done.game_id });
  });

  it('fails a match for good after the last attempt and requeues both players with their priority', async () => {
    await stub.control({ failure_rate: 1, failure_status: 500 });
    const tenant = newTenant();
    const a = await join(tenant, 'zoe', { time_control: '6+0' });
    const b = await join(tenant, 'abe', { time_control: '6+0' });
    const failedMatch = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1 AND status = 'FAILED'`, [tenant]);
      return m;
    });
    expect(failedMatch.attempts).toBe(3);
    expect(failedMatch.last_error).toMatch(/500/);
    expect((await stub.requests(failedMatch.id)).length).toBe(3);
    await stub.control({ failure_rate: 0 });
    const back = await entry(tenant, 'zoe', a.queue_entry_id);
    expect(['SEARCHING', 'MATCHING', 'MATCHED']).toContain(back.status);
    expect(back.enqueued_at).toBe(a.enqueued_at);
    const matched = await untilStatus(tenant, 'abe', b.queue_entry_id, 'MATCHED');
    expect(matched.match_id).not.toBe(failedMatch.id);
    expect(matched.enqueued_at).toBe(b.enqueued_at);
  });

  it('does not retry other 4xx answers', async () => {
    await stub.control({ fail_next: { count: 1, status: 422 } });
    const tenant = newTenant();
    const a = await join(tenant, 'bo', { time_control: '7+0' });
    await join(tenant, 'cy', { time_control: '7+0' });
    const failedMatch = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1 AND status = 'FAILED'`, [tenant]);
      return m;
    });
    expect(failedMatch.attempts).toBe(1);
    expect((await stub.requests(failedMatch.id)).map((r) => r.status_returned)).toEqual([422]);
    const again = await untilStatus(tenant, 'bo', a.queue_entry_id, 'MATCHED');
    expect(again.match_id).not.toBe(failedMatch.id);
  });

  it('never both cancels and matches a player racing a tick', async () => {
    const tenant = newTenant();
    const outcomes: string[] = [];
    for (let i = 0; i < 15; i++) {
      const a = await join(tenant, `ra${i}`, { time_control: '8+0' });
      await join(tenant, `rb${i}`, { time_control: '8+0' });
      await new Promise((r) => setTimeout(r, (i * 17) % 120));
      const cancel = await t
        .http()
        .delete(`/v1/matchmaking/queue/${a.queue_entry_id}`)
        .set(bearer(`ra${i}`, { tenant_id: tenant }));
      outcomes.push(cancel.status === 200 ? 'cancelled' : cancel.body.code);
      if (cancel.status === 200) {
        expect(cancel.body.status).toBe('CANCELLED');
        expect(cancel.body.match_id).toBeNull();
      } else {
        expect(cancel.body.code).toBe('CANNOT_CANCEL');
      }
    }
    await new Promise((r) => setTimeout(r, 1500));
    const [bad] = await t.db.query(
      `SELECT count(*)::int AS n FROM matches m JOIN queue_entries q ON q.id IN (m.white_entry_id, m.black_entry_id)
       WHERE m.tenant_id = $1 AND m.status <> 'FAILED' AND q.status = 'CANCELLED'`,
      [tenant],
    );
    expect(bad.n).toBe(0);
    const [twice] = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT q.id FROM queue_entries q JOIN matches m ON q.id IN (m.white_entry_id, m.black_entry_id)
       WHERE m.tenant_id = $1 GROUP BY q.id HAVING count(*) > 1) x`,
      [tenant],
    );
    expect(twice.n).toBe(0);
    expect(outcomes.length).toBe(15);
  });

  it('pairs 120 waiting players exactly once each', async () => {
    const tenant = newTenant();
    const users = Array.from({ length: 120 }, (_, i) => `p${i}`);
    await Promise.all(users.map((u, i) => setRating(tenant, u, 'rapid', 1400 + (i % 40) * 5)));
    const entries = await Promise.all(users.map((u) => join(tenant, u, { time_control: '10+0' })));
    await waitFor(
      async () => {
        const [r] = await t.db.query(
          `SELECT count(*)::int AS n FROM queue_entries WHERE tenant_id = $1 AND status = 'MATCHED'`,
          [tenant],
        );
        return r.n === 120;
      },
      20000,
      200,
    );
    const matches = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1`, [tenant]);
    expect(matches).toHaveLength(60);
    const seen = matches.flatMap((m: any) => [m.white_user_id, m.black_user_id]).sort();
    expect(seen).toEqual([...users].sort());
    expect(new Set(matches.map((m: any) => m.game_id)).size).toBe(60);
    for (const m of matches) expect(m.rating_gap).toBeLessThanOrEqual(100);
    const gameIds = new Set((await stub.games()).filter((g) => g.tenant_id === tenant).map((g) => g.game_id));
    expect(gameIds.size).toBe(60);
    expect(entries).toHaveLength(120);
  });

  describe('results and active games', () => {
    let checked: TestApp;
    beforeAll(async () => {
      checked = await startApp({ ROLE: 'api', ACTIVE_GAME_CHECK: 'true' }, t.storage);
    });
    afterAll(() => checked.close());

    it('refuses a join while the last game may still run, and records results once', async () => {
      const tenant = newTenant();
      const a = await join(tenant, 'gus', { time_control: '5+0' });
      await join(tenant, 'hal', { time_control: '5+0' });
      const done = await untilStatus(tenant, 'gus', a.queue_entry_id, 'MATCHED');
      const refused = await checked
        .http()
        .post('/v1/matchmaking/queue')
        .set(bearer('gus', { tenant_id: tenant }))
        .send({ time_control: '1+0' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ACTIVE_GAME_EXISTS');

      const player = await t
        .http()
        .post(`/internal/games/${done.game_id}/result`)
        .set(bearer('gus', { tenant_id: tenant }))
        .send({ result: 'white' });
      expect(player.status).toBe(403);
      const bad = await t.http().post(`/internal/games/${done.game_id}/result`).set(apiKey).send({ result: 'win' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('result');
      const unknown = await t.http().post('/internal/games/g_nope/result').set(apiKey).send({ result: 'draw' });
      expect(unknown.status).toBe(404);
      const otherAdmin = await t
        .http()
        .post(`/internal/games/${done.game_id}/result`)
        .set(bearer('root', { tenant_id: 'elsewhere', roles: ['admin'] }))
        .send({ result: 'draw' });
      expect(otherAdmin.status).toBe(404);

      const first = await t.http().post(`/internal/games/${done.game_id}/result`).set(apiKey).send({ result: 'draw' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        game_id: done.game_id,
        match_id: done.match_id,
        tenant_id: tenant,
        result: 'draw',
        recorded: true,
      });
      expect(first.body.ratings.category).toBe('blitz');
      expect(first.body.ratings.white.after.games).toBe(1);
      const repeat = await t
        .http()
        .post(`/internal/games/${done.game_id}/result`)
        .set(bearer('root', { tenant_id: tenant, roles: ['admin'] }))
        .send({ result: 'white' });
      expect(repeat.status).toBe(200);
      expect(repeat.body).toMatchObject({ result: 'draw', recorded: false, ratings: null });

      const allowed = await checked
        .http()
        .post('/v1/matchmaking/queue')
        .set(bearer('gus', { tenant_id: tenant }))
        .send({ time_control: '1+0' });
      expect(allowed.status).toBe(201);
      const active = await t
        .http()
        .get('/v1/matchmaking/active')
        .set(bearer('gus', { tenant_id: tenant }));
      expect(active.body.match).toBeNull();
    });
  });

  describe('server-sent events', () => {
    it('streams the entry now and at each change, and closes after MATCHED', async () => {
      const tenant = newTenant();
      await stub.control({ latency_ms: 300 });
      const a = await join(tenant, 'ivy', { time_control: '15+10' });
      const events: any[] = [];
      const stream = request(t.url)
        .get(`/v1/matchmaking/queue/${a.queue_entry_id}/events?access_token=${tokenFor('ivy', { tenant_id: tenant })}`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            const blocks = text.split('\n\n');
            text = blocks.pop()!;
            for (const block of blocks) {
              const data = block.split('\n').find((l) => l.startsWith('data: '));
              if (data) events.push(JSON.parse(data.slice(6)));
            }
          });
          res.on('end', () => done(null, events));
        });
      const finished = stream.then((res) => res);
      await waitFor(async () => events.length >= 1, 3000);
      await join(tenant, 'jay', { time_control: '15+10' });
      const res = await finished;
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/event-stream/);
      const statuses = events.map((e) => e.status);
      expect(statuses[0]).toBe('SEARCHING');
      expect(statuses).toContain('MATCHING');
      expect(statuses[statuses.length - 1]).toBe('MATCHED');
      expect(events[events.length - 1].game_id).toBeTruthy();
    });

    it('answers 404 for another user’s entry and 401 without a token', async () => {
      const tenant = newTenant();
      const a = await join(tenant, 'kim', { time_control: '20+0' });
      const other = await t
        .http()
        .get(`/v1/matchmaking/queue/${a.queue_entry_id}/events`)
        .set(bearer('lou', { tenant_id: tenant }));
      expect(other.status).toBe(404);
      const none = await t.http().get(`/v1/matchmaking/queue/${a.queue_entry_id}/events`);
      expect(none.status).toBe(401);
    });
  });
});
