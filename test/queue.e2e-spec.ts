import { ONE_V_ONE_FIELDS, postJoin } from './support/api';
import { insertMatch } from './support/fixtures';
import { apiKey, bearer, startApp, TestApp, useService } from './support/test-app';

describe('queue API', () => {
  let t: TestApp;
  useService(
    { ROLE: 'api', RATE_LIMIT_JOINS_PER_MINUTE: '1000', REGIONS: '', QUEUE_TIMEOUT_SECONDS: '600' },
    (started) => (t = started),
  );

  const join = (user: string, body: object, claims = {}) => postJoin(t, bearer(user, claims), body);

  it('joins a pool and answers the QueueEntry shape', async () => {
    const res = await join('alice', { time_control: '5+0', region: 'eu' }, { username: 'Alice' });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.body).toMatchObject({
      status: 'SEARCHING',
      user_id: 'alice',
      tenant_id: 'default',
      pool_key: 'standard_5+0_rated',
      time_control: '5+0',
      mode: 'rated',
      variant: 'standard',
      region: 'EU',
      rating: 1500,
      match_id: null,
      game_id: null,
      color: null,
      opponent: null,
      ended_reason: null,
    });
    expect(res.body.queue_entry_id).toMatch(/^q_/);
    expect(Object.keys(res.body).sort()).toEqual([...ONE_V_ONE_FIELDS, 'format'].sort());
    const enq = Date.parse(res.body.enqueued_at);
    expect(Date.parse(res.body.expires_at) - enq).toBe(600_000);
    expect(res.body.estimated_wait_seconds).toBeGreaterThanOrEqual(0);
  });

  it('refuses a second open entry with ALREADY_IN_QUEUE and the open entry id', async () => {
    const first = await join('bob', { time_control: '3+2' });
    const second = await join('bob', { time_control: '10+0', mode: 'casual' });
    expect(second.status).toBe(409);
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.body).toMatchObject({
      status: 409,
      code: 'ALREADY_IN_QUEUE',
      queue_entry_id: first.body.queue_entry_id,
    });
    expect(second.body.request_id).toBe(second.headers['x-request-id']);
  });

  it('makes exactly one entry out of 50 simultaneous joins by one user', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => join('carol', { time_control: '1+0' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const ids = new Set(results.filter((r) => r.status === 409).map((r) => r.body.queue_entry_id));
    expect([...ids]).toEqual([results.find((r) => r.status === 201)!.body.queue_entry_id]);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM queue_entries WHERE user_id = 'carol'`);
    expect(count).toBe(1);
  });

  it('derives pool keys, categories and variants', async () => {
    const res = await join('dave', { time_control: '15+10', mode: 'casual', variant: 'chess960' });
    expect(res.status).toBe(201);
    expect(res.body.pool_key).toBe('chess960_15+10_casual');
    expect(res.body.region).toBeNull();
  });

  it('uses the player’s rating in the pool’s category at join', async () => {
    await t.http().put('/internal/players/erin/ratings/blitz').set(apiKey).send({ rating: 1834 }).expect(200);
    const blitz = await join('erin', { time_control: '3+2' });
    expect(blitz.body.rating).toBe(1834);
    await t.http().delete(`/v1/matchmaking/queue/${blitz.body.queue_entry_id}`).set(bearer('erin')).expect(200);
    const bullet = await join('erin', { time_control: '1+0' });
    expect(bullet.body.rating).toBe(1500);
  });

  it('estimates the wait: the recent matches near the rating, else a tick beside a likely opponent', async () => {
    const tenant = 'estimates';
    const tick = Math.ceil(t.config.matchTickMs / 1000);
    const recent: Array<[number, number]> = [
      [40, 1500],
      [80, 1520],
      [120, 1480],
      [900, 2400], // outside the ±200 band of a 1500 player
    ];
    for (const [seconds, rating] of recent) {
      const waitMs = seconds * 1000;
      await insertMatch(t.db, {
        tenant,
        timeControl: '4+2',
        whiteRating: rating,
        blackRating: rating,
        whiteWaitMs: waitMs,
        blackWaitMs: waitMs,
      });
    }
    const alone = await join('una', { time_control: '4+2' }, { tenant_id: tenant });
    expect(alone.body.estimated_wait_seconds).toBe(80); // the median of 40, 80 and 120 s
    const beside = await join('vic', { time_control: '4+2' }, { tenant_id: tenant });
    expect(beside.body.estimated_wait_seconds).toBe(tick); // una waits within the initial window
    const fresh = await join('wes', { time_control: '4+3' }, { tenant_id: tenant });
    expect(fresh.body.estimated_wait_seconds).toBe(tick + 3 * t.config.matching.windowStepSeconds);
  });

  it.each([
    [{}, 'time_control'],
    [{ time_control: '5' }, 'time_control'],
    [{ time_control: '0+0' }, 'time_control'],
    [{ time_control: '181+0' }, 'time_control'],
    [{ time_control: '5+181' }, 'time_control'],
    [{ time_control: 5 }, 'time_control'],
    [{ time_control: '5+0', mode: 'ranked' }, 'mode'],
    [{ time_control: '5+0', variant: 'atomic' }, 'variant'],
    [{ time_control: '5+0', variant: 7 }, 'variant'],
    [{ time_control: '5+0', region: 'E U' }, 'region'],
    [{ time_control: '5+0', region: 'x'.repeat(33) }, 'region'],
    [{ time_control: '5+0', client_metadata: 'text' }, 'client_metadata'],
    [{ time_control: '5+0', client_metadata: { blob: 'x'.repeat(1100) } }, 'client_metadata'],
    [{ time_control: '5+0', colour: 'white' }, 'colour'],
  ])('rejects %j with 400 naming %s', async (body, field) => {
    const res = await join('frank', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers malformed JSON with 400 and oversized bodies with 413, never 500', async () => {
    const bad = await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer('gina'))
      .set('Content-Type', 'application/json')
      .send('{"time_control": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    expect(bad.body.detail).toBe('request body is not valid JSON');
    expect(bad.headers['x-request-id']).toBeTruthy();
    expect(bad.body.request_id).toBe(bad.headers['x-request-id']);
    const big = await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer('gina'))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ time_control: '5+0', pad: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(big.body.detail).toBe('request body is larger than 64 KB');
    const array = await t.http().post('/v1/matchmaking/queue').set(bearer('gina')).send([1, 2]);
    expect(array.status).toBe(400);
  });

  it('echoes a client x-request-id', async () => {
    const res = await t.http().get('/v1/matchmaking/active').set(bearer('hank')).set('x-request-id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('reads, cancels idempotently and refuses to cancel ended entries', async () => {
    const { body: entry } = await join('ivan', { time_control: '5+3' });
    const read = await t.http().get(`/v1/matchmaking/queue/${entry.queue_entry_id}`).set(bearer('ivan'));
    expect(read.status).toBe(200);
    // the read shows the entry as the join answered it, field for field (the wait estimate may have counted down)
    const { estimated_wait_seconds: wait, ...rest } = read.body;
    expect(rest).toEqual({ ...entry, estimated_wait_seconds: undefined });
    expect(wait).toBeLessThanOrEqual(entry.estimated_wait_seconds);

    const cancel = await t.http().delete(`/v1/matchmaking/queue/${entry.queue_entry_id}`).set(bearer('ivan'));
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'user' });
    const again = await t.http().delete(`/v1/matchmaking/queue/${entry.queue_entry_id}`).set(bearer('ivan'));
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('CANCELLED');

    for (const status of ['MATCHING', 'MATCHED', 'TIMED_OUT']) {
      const { body: e } = await join('ivan', { time_control: '5+3' });
      await t.db.query(`UPDATE queue_entries SET status = $2 WHERE id = $1`, [e.queue_entry_id, status]);
      const res = await t.http().delete(`/v1/matchmaking/queue/${e.queue_entry_id}`).set(bearer('ivan'));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CANNOT_CANCEL');
      await t.db.query(`UPDATE queue_entries SET status = 'CANCELLED' WHERE id = $1`, [e.queue_entry_id]);
    }
  });

  it('hides other users’ and unknown entries as 404', async () => {
    const { body: entry } = await join('judy', { time_control: '5+0' });
    for (const [user, id] of [
      ['mallory', entry.queue_entry_id],
      ['judy', 'q_doesnotexist'],
      ['judy', '%00..%2F'],
    ]) {
      const get = await t.http().get(`/v1/matchmaking/queue/${id}`).set(bearer(user));
      expect(get.status).toBe(404);
      expect(get.body.code).toBe('NOT_FOUND');
      const del = await t.http().delete(`/v1/matchmaking/queue/${id}`).set(bearer(user));
      expect(del.status).toBe(404);
    }
  });

  it('shows the open entry in /active and null once it ended', async () => {
    const { body: entry } = await join('kate', { time_control: '2+1' });
    const active = await t.http().get('/v1/matchmaking/active').set(bearer('kate')).expect(200);
    expect(active.body).toEqual({
      queue_entry: expect.objectContaining({ queue_entry_id: entry.queue_entry_id }),
      match: null,
    });
    await t.http().delete(`/v1/matchmaking/queue/${entry.queue_entry_id}`).set(bearer('kate')).expect(200);
    const after = await t.http().get('/v1/matchmaking/active').set(bearer('kate')).expect(200);
    expect(after.body).toEqual({ queue_entry: null, match: null });
  });

  it('keeps tenants apart', async () => {
    const a = await join('lee', { time_control: '5+0' }, { tenant_id: 'acme' });
    const b = await join('lee', { time_control: '5+0' }, { tenant_id: 'globex' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.tenant_id).toBe('acme');
    const cross = await t
      .http()
      .get(`/v1/matchmaking/queue/${a.body.queue_entry_id}`)
      .set(bearer('lee', { tenant_id: 'globex' }));
    expect(cross.status).toBe(404);
  });

  it('takes preferred_username when username is absent', async () => {
    const res = await join('mia', { time_control: '5+0' }, { preferred_username: 'Mia M' });
    expect(res.status).toBe(201);
    const [row] = await t.db.query(`SELECT username FROM queue_entries WHERE id = $1`, [res.body.queue_entry_id]);
    expect(row.username).toBe('Mia M');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.http().get('/v1/nothing-here').set(bearer('x'));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('restricts regions when REGIONS is set', async () => {
    const restricted = await startApp({ ROLE: 'api', REGIONS: 'EU,NA' }, t.storage);
    try {
      const ok = await postJoin(restricted, bearer('nina'), { time_control: '5+0', region: 'na' });
      expect(ok.status).toBe(201);
      const bad = await postJoin(restricted, bearer('otto'), { time_control: '5+0', region: 'ASIA' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('region');
    } finally {
      await restricted.close();
    }
  });
});
