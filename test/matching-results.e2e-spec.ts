import request from 'supertest';
import { adminAuth, playerAuth, postJoin } from './support/api';
import { useMatchingService } from './support/fixtures';
import { Stub } from './support/stub';
import { bearer, startApp, tenantIds, TestApp, tokenFor, waitFor } from './support/test-app';

const newTenant = tenantIds('t');

describe('matching and game creation', () => {
  let stub: Stub;
  let t: TestApp;
  const { join, untilStatus, postResult } = useMatchingService((started) => ({ stub, t } = started));

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
      const refused = await postJoin(checked, playerAuth(tenant, 'gus'), { time_control: '1+0' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ACTIVE_GAME_EXISTS');

      const player = await postResult(done.game_id, 'white', playerAuth(tenant, 'gus'));
      expect(player.status).toBe(403);
      const bad = await postResult(done.game_id, 'win');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('result');
      const unknown = await postResult('g_nope', 'draw');
      expect(unknown.status).toBe(404);
      const otherAdmin = await postResult(done.game_id, 'draw', adminAuth('elsewhere'));
      expect(otherAdmin.status).toBe(404);

      const first = await postResult(done.game_id, 'draw');
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
      const repeat = await postResult(done.game_id, 'white', adminAuth(tenant));
      expect(repeat.status).toBe(200);
      expect(repeat.body).toMatchObject({ result: 'draw', recorded: false, ratings: null });

      const allowed = await postJoin(checked, playerAuth(tenant, 'gus'), { time_control: '1+0' });
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
