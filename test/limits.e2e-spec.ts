import http from 'http';
import { EntryEventsService } from '../apps/matchmaking/src/events/entry-events.service';
import { QueueService } from '../apps/matchmaking/src/queue/queue.service';
import { ServiceProcess } from './support/service-process';
import { bearer, envFor, startApp, tenantIds, TestApp, tokenFor, waitFor } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newTenant = tenantIds('l');

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: () => string;
  close: () => void;
  ended: Promise<void>;
}

/** Opens an event stream and resolves once the status line is in; the body keeps arriving. */
function openStream(url: string, id: string, token: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/v1/matchmaking/queue/${id}/events?access_token=${token}`, (res) => {
      let text = '';
      res.on('data', (d) => (text += d.toString()));
      const ended = new Promise<void>((r) => res.on('close', () => r()));
      resolve({
        status: res.statusCode!,
        headers: res.headers,
        body: () => text,
        close: () => req.destroy(),
        ended,
      });
    });
    req.on('error', reject);
  });
}

describe('caps', () => {
  let a: TestApp;
  let b: TestApp;
  const env = {
    ROLE: 'api',
    SSE_MAX_STREAMS_PER_USER: '2',
    SSE_HEARTBEAT_MS: '300',
    RATE_LIMIT_CHALLENGES_PER_MINUTE: '5',
    MAX_PENDING_CHALLENGES: '2',
  };
  beforeAll(async () => {
    a = await startApp(env);
    b = await startApp(env, a.storage);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const joinAs = async (tenant: string, user: string) => {
    const res = await a
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer(user, { tenant_id: tenant }))
      .send({ time_control: '5+0' });
    expect(res.status).toBe(201);
    return res.body.queue_entry_id as string;
  };

  describe('event streams per user', () => {
    it('counts open streams across replicas: one more is 429 with Retry-After, and a closed one frees its slot', async () => {
      const tenant = newTenant();
      const id = await joinAs(tenant, 'sam');
      const token = tokenFor('sam', { tenant_id: tenant });
      const first = await openStream(a.url, id, token);
      const second = await openStream(b.url, id, token);
      expect([first.status, second.status]).toEqual([200, 200]);
      const third = await openStream(a.url, id, token);
      expect(third.status).toBe(429);
      expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      await third.ended;
      expect(JSON.parse(third.body()).code).toBe('RATE_LIMITED');
      const other = await openStream(a.url, await joinAs(tenant, 'tom'), tokenFor('tom', { tenant_id: tenant }));
      expect(other.status).toBe(200);
      other.close();

      first.close();
      await waitFor(async () => {
        const again = await openStream(b.url, id, token);
        if (again.status === 200) return again;
        again.close();
        return null;
      }, 3000).then((s) => s.close());
      second.close();
    });

    it('does not lock a user out after a replica crashed with their streams open', async () => {
      const tenant = newTenant();
      const id = await joinAs(tenant, 'uma');
      const token = tokenFor('uma', { tenant_id: tenant });
      const doomed = await ServiceProcess.start(envFor(a.storage, env));
      try {
        const streams = [await openStream(doomed.url, id, token), await openStream(doomed.url, id, token)];
        expect(streams.map((s) => s.status)).toEqual([200, 200]);
        expect((await openStream(a.url, id, token)).status).toBe(429);
        doomed.kill('SIGKILL');
        await doomed.waitForExit();
      } finally {
        doomed.kill('SIGKILL');
      }
      const after = await waitFor(async () => {
        const s = await openStream(a.url, id, token);
        if (s.status === 200) return s;
        s.close();
        return null;
      }, 5000);
      after.close();
    });

    it('sends status and Content-Type before any event, even when a change arrives before the first read', async () => {
      const tenant = newTenant();
      const id = await joinAs(tenant, 'val');
      const queue = a.app.get(QueueService);
      const events = a.app.get(EntryEventsService);
      const real = queue.get.bind(queue);
      const spy = jest.spyOn(queue, 'get').mockImplementationOnce(async (...args) => {
        await events.publish([id]);
        await sleep(300);
        return real(...args);
      });
      try {
        const stream = await openStream(a.url, id, tokenFor('val', { tenant_id: tenant }));
        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
        await waitFor(async () => stream.body().includes('data: '), 3000);
        expect(stream.body()).toMatch(/event: status/);
        stream.close();
      } finally {
        spy.mockRestore();
      }
    });

    it('releases everything of a stream whose client left while Redis was slow to subscribe', async () => {
      const tenant = newTenant();
      const id = await joinAs(tenant, 'wes');
      const events = a.app.get(EntryEventsService);
      const real = events.listen.bind(events);
      const spy = jest.spyOn(events, 'listen').mockImplementationOnce(async (...args) => {
        await sleep(500);
        return real(...args);
      });
      try {
        const req = http.get(
          `${a.url}/v1/matchmaking/queue/${id}/events?access_token=${tokenFor('wes', { tenant_id: tenant })}`,
        );
        req.on('error', () => undefined);
        await sleep(150);
        req.destroy();
        await sleep(1000);
        expect((events as unknown as { listeners: Map<string, unknown> }).listeners.has(id)).toBe(false);
        const token = tokenFor('wes', { tenant_id: tenant });
        const streams = [await openStream(a.url, id, token), await openStream(a.url, id, token)];
        expect(streams.map((s) => s.status)).toEqual([200, 200]);
        streams.forEach((s) => s.close());
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('challenges', () => {
    const create = (app: TestApp, tenant: string, from: string, body: object) =>
      app
        .http()
        .post('/v1/matchmaking/challenges')
        .set(bearer(from, { tenant_id: tenant }))
        .send(body);

    it('counts every POST /challenges of a user across replicas, whatever its outcome', async () => {
      const tenant = newTenant();
      const statuses = [
        (await create(a, tenant, 'xia', { opponent_user_id: 'o1', time_control: '5+0' })).status,
        (await create(b, tenant, 'xia', { opponent_user_id: 'xia', time_control: '5+0' })).status,
        (await create(a, tenant, 'xia', { opponent_user_id: 'o1', time_control: 'bad' })).status,
        (await create(b, tenant, 'xia', { opponent_user_id: 'o1', time_control: '3+0' })).status,
        (await create(a, tenant, 'xia', { opponent_user_id: 'o2', time_control: '3+0' })).status,
      ];
      expect(statuses).toEqual([201, 400, 400, 201, 201]);
      const limited = await create(a, tenant, 'xia', { opponent_user_id: 'o1', time_control: '5+0' });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await create(b, tenant, 'yan', { opponent_user_id: 'o1', time_control: '5+0' })).status).toBe(201);
    });

    it('refuses one outgoing PENDING challenge more than MAX_PENDING_CHALLENGES with 429', async () => {
      const tenant = newTenant();
      const to = (opponent: string) => create(a, tenant, 'zoe', { opponent_user_id: opponent, time_control: '5+0' });
      expect((await to('o1')).status).toBe(201);
      const second = await to('o2');
      expect(second.status).toBe(201);
      const third = await to('o3');
      expect(third.status).toBe(429);
      expect(third.body.code).toBe('RATE_LIMITED');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await to('o1')).status).toBe(201); // replaces the pending one to o1: still two
      await a
        .http()
        .delete(`/v1/matchmaking/challenges/${second.body.challenge_id}`)
        .set(bearer('zoe', { tenant_id: tenant }))
        .expect(200);
      expect((await to('o3')).status).toBe(201);
    });

    it('holds the pending-challenge cap against simultaneous challenges on two replicas', async () => {
      const tenant = newTenant();
      const answers = await Promise.all(
        ['p1', 'p2', 'p3', 'p4', 'p5'].map((opponent, i) =>
          create(i % 2 ? b : a, tenant, 'ugo', { opponent_user_id: opponent, time_control: '5+0' }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 429, 429, 429]);
      const [{ n }] = await a.db.query(
        `SELECT count(*)::int AS n FROM challenges WHERE tenant_id = $1 AND challenger_user_id = 'ugo' AND status = 'PENDING'`,
        [tenant],
      );
      expect(n).toBe(2);
    });
  });
});
