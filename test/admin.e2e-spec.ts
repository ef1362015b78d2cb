import { EntryEventsService } from '../apps/matchmaking/src/events/entry-events.service';
import { apiKey, bearer, startApp, TestApp, tokenFor } from './support/test-app';

/**
 * Admin routes on a known scenario. ROLE=api: no worker runs, so nobody is paired behind the test's
 * back and the figures stay exactly what the test put in.
 */
describe('admin (/internal)', () => {
  let t: TestApp;
  const A = 'tenant-a';
  const B = 'tenant-b';
  const POOL = 'standard_5+0_rated';
  const admin = (tenant = A) => bearer('root', { tenant_id: tenant, roles: ['admin'] });
  const player = (tenant = A) => bearer('joe', { tenant_id: tenant });
  const ids: Record<string, string> = {};

  const join = async (tenant: string, user: string, body: object) => {
    const res = await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer(user, { tenant_id: tenant }))
      .send(body);
    expect(res.status).toBe(201);
    return res.body.queue_entry_id as string;
  };
  const backdate = (id: string, seconds: number) =>
    t.db.query(`UPDATE queue_entries SET enqueued_at = now() - make_interval(secs => $2) WHERE id = $1`, [id, seconds]);
  let matchSeq = 0;
  const insertMatch = async (m: {
    tenant: string;
    status: string;
    white: number;
    black: number;
    whiteWaitMs: number;
    blackWaitMs: number;
    createdAgoSeconds?: number;
    gameCreatedAgoSeconds?: number | null;
    pool?: string;
    source?: string;
  }) => {
    const id = `m_test${matchSeq++}`;
    const gameAgo =
      m.gameCreatedAgoSeconds === undefined ? (m.status === 'CREATED' ? 1 : null) : m.gameCreatedAgoSeconds;
    await t.db.query(
      `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category, region,
         white_user_id, black_user_id, white_rating, black_rating, white_wait_ms, black_wait_ms, rating_gap, game_id,
         attempts, created_at, game_created_at)
       VALUES ($1, $2, $3, $4, $5, '5+0', 'rated', 'standard', 'blitz', 'EU', 'w' || $1, 'b' || $1, $6, $7, $8, $9,
         abs($6::int - $7::int), CASE WHEN $4 = 'CREATED' THEN 'g_' || $1 END, 1,
         now() - make_interval(secs => $10), CASE WHEN $11::int IS NOT NULL THEN now() - make_interval(secs => $11::int) END)`,
      [
        id,
        m.tenant,
        m.source ?? 'queue',
        m.status,
        m.pool ?? POOL,
        m.white,
        m.black,
        m.whiteWaitMs,
        m.blackWaitMs,
        m.createdAgoSeconds ?? 2,
        gameAgo,
      ],
    );
    return id;
  };

  beforeAll(async () => {
    t = await startApp({
      ROLE: 'api',
      RATE_LIMIT_JOINS_PER_MINUTE: '1000',
      ACTIVE_GAME_CHECK: 'false',
      QUEUE_TIMEOUT_SECONDS: '600',
    });
    // Three waiting players in three regions (none = ANY), waiting 10, 20 and 30 seconds.
    ids.ann = await join(A, 'ann', { time_control: '5+0', region: 'EU' });
    ids.bob = await join(A, 'bob', { time_control: '5+0', region: 'US' });
    ids.cat = await join(A, 'cat', { time_control: '5+0' });
    await backdate(ids.ann, 10);
    await backdate(ids.bob, 20);
    await backdate(ids.cat, 30);
    // One timeout in the window, one long ago.
    ids.dan = await join(A, 'dan', { time_control: '5+0' });
    await t.db.query(
      `UPDATE queue_entries SET status = 'TIMED_OUT', ended_reason = 'timeout', ended_at = now() WHERE id = $1`,
      [ids.dan],
    );
    ids.eve = await join(A, 'eve', { time_control: '5+0' });
    await t.db.query(
      `UPDATE queue_entries SET status = 'TIMED_OUT', ended_reason = 'timeout', ended_at = now() - interval '10 minutes' WHERE id = $1`,
      [ids.eve],
    );
    // A pool with only a cancel in the window: listed, empty.
    ids.fay = await join(A, 'fay', { time_control: '3+0', mode: 'casual' });
    expect(
      (
        await t
          .http()
          .delete(`/v1/matchmaking/queue/${ids.fay}`)
          .set(bearer('fay', { tenant_id: A }))
      ).status,
    ).toBe(200);
    // A pool whose last activity was 10 minutes ago: not listed.
    ids.gus = await join(A, 'gus', { time_control: '10+0' });
    await t.db.query(
      `UPDATE queue_entries SET status = 'CANCELLED', ended_reason = 'user', ended_at = now() - interval '10 minutes',
         updated_at = now() - interval '10 minutes', enqueued_at = now() - interval '11 minutes' WHERE id = $1`,
      [ids.gus],
    );
    // A MATCHING entry (paired, game being created).
    ids.hal = await join(A, 'hal', { time_control: '1+0' });
    await t.db.query(`UPDATE queue_entries SET status = 'MATCHING' WHERE id = $1`, [ids.hal]);
    // Created games in the window: gaps 60 and 20, mean waits 15 s and 40 s. Excluded: FAILED, PENDING, too old.
    ids.m60 = await insertMatch({
      tenant: A,
      status: 'CREATED',
      white: 1500,
      black: 1560,
      whiteWaitMs: 10_000,
      blackWaitMs: 20_000,
      createdAgoSeconds: 4,
    });
    ids.m20 = await insertMatch({
      tenant: A,
      status: 'CREATED',
      white: 1600,
      black: 1580,
      whiteWaitMs: 30_000,
      blackWaitMs: 50_000,
      createdAgoSeconds: 3,
      source: 'challenge',
    });
    ids.mFailed = await insertMatch({
      tenant: A,
      status: 'FAILED',
      white: 1000,
      black: 1400,
      whiteWaitMs: 90_000,
      blackWaitMs: 90_000,
      createdAgoSeconds: 2,
    });
    ids.mPending = await insertMatch({
      tenant: A,
      status: 'PENDING',
      white: 1000,
      black: 1300,
      whiteWaitMs: 1000,
      blackWaitMs: 1000,
      createdAgoSeconds: 1,
    });
    ids.mOld = await insertMatch({
      tenant: A,
      status: 'CREATED',
      white: 1000,
      black: 1500,
      whiteWaitMs: 500_000,
      blackWaitMs: 500_000,
      createdAgoSeconds: 700,
      gameCreatedAgoSeconds: 690,
    });
    // Tenant B: one waiting player in the same pool key and one created game.
    ids.zed = await join(B, 'zed', { time_control: '5+0', region: 'EU' });
    ids.mB = await insertMatch({
      tenant: B,
      status: 'CREATED',
      white: 1500,
      black: 1500,
      whiteWaitMs: 2000,
      blackWaitMs: 2000,
      createdAgoSeconds: 0,
    });
  });
  afterAll(() => t.close());

  describe('GET /internal/queues/summary', () => {
    it('computes the documented figures per (tenant, pool)', async () => {
      const res = await t.http().get('/internal/queues/summary').set(admin());
      expect(res.status).toBe(200);
      expect(Date.now() - Date.parse(res.body.timestamp)).toBeLessThan(10_000);
      const pools = res.body.queues.map((q: any) => `${q.tenant_id}/${q.pool_key}`);
      expect(pools).toEqual([`${A}/standard_1+0_rated`, `${A}/standard_3+0_casual`, `${A}/${POOL}`]);

      const main = res.body.queues.find((q: any) => q.pool_key === POOL);
      expect(Object.keys(main).sort()).toEqual([
        'avg_rating_gap_5m',
        'avg_wait_seconds',
        'by_region',
        'matches_last_5m',
        'median_match_wait_seconds_5m',
        'oldest_wait_seconds',
        'p95_wait_seconds',
        'pool_key',
        'tenant_id',
        'timeouts_last_5m',
        'waiting_count',
      ]);
      expect(main.waiting_count).toBe(3);
      expect(main.by_region).toEqual({ EU: 1, US: 1, ANY: 1 });
      // Waits 10, 20, 30 s plus the few hundred ms the test itself takes.
      expect(main.avg_wait_seconds).toBeGreaterThanOrEqual(20);
      expect(main.avg_wait_seconds).toBeLessThan(22);
      expect(main.p95_wait_seconds).toBeGreaterThanOrEqual(29); // percentile_cont: 20 + 0.9 × 10
      expect(main.p95_wait_seconds).toBeLessThan(31);
      expect(main.oldest_wait_seconds).toBeGreaterThanOrEqual(30);
      expect(main.oldest_wait_seconds).toBeLessThan(32);
      expect(main.oldest_wait_seconds).toBeGreaterThan(main.p95_wait_seconds);
      expect(main.matches_last_5m).toBe(2);
      expect(main.median_match_wait_seconds_5m).toBe(27.5); // median of 15 and 40
      expect(main.avg_rating_gap_5m).toBe(40); // mean of 60 and 20
      expect(main.timeouts_last_5m).toBe(1);

      const empty = res.body.queues.find((q: any) => q.pool_key === 'standard_3+0_casual');
      expect(empty).toEqual({
        tenant_id: A,
        pool_key: 'standard_3+0_casual',
        waiting_count: 0,
        avg_wait_seconds: 0,
        p95_wait_seconds: 0,
        oldest_wait_seconds: 0,
        by_region: {},
        matches_last_5m: 0,
        median_match_wait_seconds_5m: null,
        avg_rating_gap_5m: null,
        timeouts_last_5m: 0,
      });
      const matching = res.body.queues.find((q: any) => q.pool_key === 'standard_1+0_rated');
      expect(matching.waiting_count).toBe(0);
    });

    it('lets the API key see every tenant or filter one, and an admin only its own', async () => {
      const all = await t.http().get('/internal/queues/summary').set(apiKey);
      expect(all.status).toBe(200);
      const tenants = new Set(all.body.queues.map((q: any) => q.tenant_id));
      expect(tenants).toEqual(new Set([A, B]));
      const onlyB = await t.http().get(`/internal/queues/summary?tenant_id=${B}`).set(apiKey);
      expect(onlyB.body.queues).toEqual([
        expect.objectContaining({
          tenant_id: B,
          pool_key: POOL,
          waiting_count: 1,
          by_region: { EU: 1 },
          matches_last_5m: 1,
          median_match_wait_seconds_5m: 2,
          avg_rating_gap_5m: 0,
          timeouts_last_5m: 0,
        }),
      ]);
      // An admin's ?tenant_id= never widens its view.
      const adminA = await t.http().get(`/internal/queues/summary?tenant_id=${B}`).set(admin(A));
      expect(adminA.status).toBe(200);
      expect(new Set(adminA.body.queues.map((q: any) => q.tenant_id))).toEqual(new Set([A]));
      const adminB = await t.http().get('/internal/queues/summary').set(admin(B));
      expect(adminB.body.queues.map((q: any) => q.tenant_id)).toEqual([B]);
    });

    it('answers 401, 403 and 400 as problem details', async () => {
      const none = await t.http().get('/internal/queues/summary');
      expect(none.status).toBe(401);
      expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(none.body.code).toBe('UNAUTHORIZED');
      expect((await t.http().get('/internal/queues/summary').set({ 'x-api-key': 'wrong' })).status).toBe(401);
      const asPlayer = await t.http().get('/internal/queues/summary').set(player());
      expect(asPlayer.status).toBe(403);
      expect(asPlayer.body.code).toBe('FORBIDDEN');
      const bad = await t.http().get('/internal/queues/summary?tenant_id=no%20spaces').set(apiKey);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_REQUEST');
      expect((await t.http().get('/internal/queues/summary?surprise=1').set(apiKey)).status).toBe(400);
    });
  });

  describe('GET /internal/queues/{pool_key}/entries', () => {
    const path = (pool: string, query = '') => `/internal/queues/${encodeURIComponent(pool)}/entries${query}`;

    it('lists waiting entries oldest first, as QueueEntries', async () => {
      const res = await t.http().get(path(POOL)).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.map((e: any) => e.user_id)).toEqual(['cat', 'bob', 'ann']);
      expect(res.body[0]).toMatchObject({
        queue_entry_id: ids.cat,
        status: 'SEARCHING',
        tenant_id: A,
        pool_key: POOL,
        region: null,
        match_id: null,
      });
      expect(Object.keys(res.body[0])).toHaveLength(18);
      const two = await t.http().get(path(POOL, '?limit=2')).set(admin());
      expect(two.body.map((e: any) => e.user_id)).toEqual(['cat', 'bob']);
      expect((await t.http().get(path('standard_3+0_casual')).set(admin())).body).toEqual([]);
    });

    it('is tenant-scoped', async () => {
      const all = await t.http().get(path(POOL)).set(apiKey);
      expect(all.body.map((e: any) => e.user_id).sort()).toEqual(['ann', 'bob', 'cat', 'zed']);
      const onlyB = await t
        .http()
        .get(path(POOL, `?tenant_id=${B}&limit=500`))
        .set(apiKey);
      expect(onlyB.body.map((e: any) => e.user_id)).toEqual(['zed']);
      const adminB = await t.http().get(path(POOL)).set(admin(B));
      expect(adminB.body.map((e: any) => e.user_id)).toEqual(['zed']);
      expect((await t.http().get(path(POOL))).status).toBe(401);
      expect((await t.http().get(path(POOL)).set(player())).status).toBe(403);
    });

    it.each(['0', '501', 'abc', '1.5', '-3', ''])('rejects limit=%s with 400', async (limit) => {
      const res = await t
        .http()
        .get(path(POOL, `?limit=${limit}`))
        .set(apiKey);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(res.body.errors[0].field).toBe('limit');
    });
  });

  describe('DELETE /internal/queue-entries/{id}', () => {
    it('force-cancels a SEARCHING entry with ended_reason admin, idempotently, and publishes the change', async () => {
      const id = await join(A, 'kim', { time_control: '5+0' });
      let heardResolve!: () => void;
      const heard = new Promise<void>((resolve) => (heardResolve = resolve));
      await t.app.get(EntryEventsService).listen(id, heardResolve);
      await new Promise((r) => setTimeout(r, 100));
      const res = await t.http().delete(`/internal/queue-entries/${id}`).set(admin());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        queue_entry_id: id,
        status: 'CANCELLED',
        ended_reason: 'admin',
        user_id: 'kim',
      });
      await heard;
      const again = await t.http().delete(`/internal/queue-entries/${id}`).set(admin());
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'admin' });
      const seen = await t
        .http()
        .get(`/v1/matchmaking/queue/${id}`)
        .set(bearer('kim', { tenant_id: A }));
      expect(seen.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'admin' });
    });

    it('refuses MATCHING, MATCHED and TIMED_OUT entries with 409 CANNOT_CANCEL', async () => {
      const matched = await join(A, 'lou', { time_control: '5+0' });
      await t.db.query(`UPDATE queue_entries SET status = 'MATCHED', game_id = 'g_x' WHERE id = $1`, [matched]);
      for (const id of [ids.hal, ids.dan, matched]) {
        const res = await t.http().delete(`/internal/queue-entries/${id}`).set(apiKey);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('CANNOT_CANCEL');
      }
      const [hal] = await t.db.query(`SELECT status FROM queue_entries WHERE id = $1`, [ids.hal]);
      expect(hal.status).toBe('MATCHING');
    });

    it('hides other tenants’ entries from an admin (404) but not from the API key', async () => {
      const id = await join(B, 'max', { time_control: '5+0' });
      const other = await t.http().delete(`/internal/queue-entries/${id}`).set(admin(A));
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('NOT_FOUND');
      const [row] = await t.db.query(`SELECT status FROM queue_entries WHERE id = $1`, [id]);
      expect(row.status).toBe('SEARCHING');
      expect((await t.http().delete(`/internal/queue-entries/${id}?tenant_id=${A}`).set(apiKey)).status).toBe(404);
      const byKey = await t.http().delete(`/internal/queue-entries/${id}`).set(apiKey);
      expect(byKey.status).toBe(200);
      expect(byKey.body).toMatchObject({ tenant_id: B, status: 'CANCELLED', ended_reason: 'admin' });
    });

    it('answers 404 for unknown or malformed ids, 401 and 403 for the wrong caller', async () => {
      expect((await t.http().delete('/internal/queue-entries/q_nope').set(apiKey)).status).toBe(404);
      expect((await t.http().delete('/internal/queue-entries/%E2%9C%93').set(apiKey)).status).toBe(404);
      expect((await t.http().delete(`/internal/queue-entries/${ids.bob}`)).status).toBe(401);
      expect((await t.http().delete(`/internal/queue-entries/${ids.bob}`).set(player())).status).toBe(403);
      const [row] = await t.db.query(`SELECT status FROM queue_entries WHERE id = $1`, [ids.bob]);
      expect(row.status).toBe('SEARCHING');
    });
  });

  describe('GET /internal/matches', () => {
    it('lists match records newest first in the documented shape', async () => {
      const res = await t.http().get('/internal/matches').set(admin());
      expect(res.status).toBe(200);
      expect(res.body.map((m: any) => m.match_id)).toEqual([ids.mPending, ids.mFailed, ids.m20, ids.m60, ids.mOld]);
      const m60 = res.body.find((m: any) => m.match_id === ids.m60);
      expect(m60).toMatchObject({
        tenant_id: A,
        source: 'queue',
        status: 'CREATED',
        pool_key: POOL,
        time_control: '5+0',
        mode: 'rated',
        variant: 'standard',
        category: 'blitz',
        region: 'EU',
        white_rating: 1500,
        black_rating: 1560,
        rating_gap: 60,
        white_wait_ms: 10_000,
        black_wait_ms: 20_000,
        game_id: `g_${ids.m60}`,
        attempts: 1,
        last_error: null,
        result: null,
        result_at: null,
        challenge_id: null,
      });
      expect(Object.keys(m60)).toHaveLength(30);
      expect(Date.parse(m60.created_at)).toBeLessThan(Date.parse(m60.game_created_at));
    });

    it('filters by status and limit, and validates both', async () => {
      const created = await t.http().get('/internal/matches?status=CREATED').set(admin());
      expect(created.body.map((m: any) => m.match_id)).toEqual([ids.m20, ids.m60, ids.mOld]);
      const failed = await t.http().get('/internal/matches?status=FAILED&limit=1').set(admin());
      expect(failed.body.map((m: any) => m.match_id)).toEqual([ids.mFailed]);
      const one = await t.http().get('/internal/matches?limit=1').set(admin());
      expect(one.body.map((m: any) => m.match_id)).toEqual([ids.mPending]);
      for (const query of [
        'status=created',
        'status=DONE',
        'limit=0',
        'limit=501',
        'limit=x',
        'status=CREATED&status=FAILED',
      ]) {
        const res = await t.http().get(`/internal/matches?${query}`).set(admin());
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_REQUEST');
      }
    });

    it('is tenant-scoped', async () => {
      const all = await t.http().get('/internal/matches?limit=500').set(apiKey);
      expect(all.body.map((m: any) => m.match_id)).toEqual(expect.arrayContaining([ids.mB, ids.m60]));
      expect(all.body[0].match_id).toBe(ids.mB);
      const b = await t.http().get(`/internal/matches?tenant_id=${B}`).set(apiKey);
      expect(b.body.map((m: any) => m.match_id)).toEqual([ids.mB]);
      const adminB = await t.http().get('/internal/matches').set(admin(B));
      expect(adminB.body.map((m: any) => m.match_id)).toEqual([ids.mB]);
      expect((await t.http().get('/internal/matches')).status).toBe(401);
      expect((await t.http().get('/internal/matches').set(player())).status).toBe(403);
    });
  });

  describe('/internal/jobs (bull-board)', () => {
    const queueNames = (body: any) => body.queues.map((q: any) => q.name).sort();

    it('refuses callers without credentials (401) and players (403) with problem details', async () => {
      for (const path of ['/internal/jobs', '/internal/jobs/api/queues']) {
        const none = await t.http().get(path);
        expect(none.status).toBe(401);
        expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(none.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
        expect(none.body.request_id).toBe(none.headers['x-request-id']);
        const asPlayer = await t.http().get(path).set(player());
        expect(asPlayer.status).toBe(403);
        expect(asPlayer.body.code).toBe('FORBIDDEN');
      }
      expect((await t.http().get('/internal/jobs').set({ 'x-api-key': 'wrong' })).status).toBe(401);
      expect((await t.http().get(`/internal/jobs?access_token=${tokenFor('joe', { roles: ['player'] })}`)).status).toBe(
        403,
      );
      const expired = tokenFor('root', { roles: ['admin'] }, { expiresIn: -60 });
      expect(
        (
          await t
            .http()
            .get('/internal/jobs')
            .set({ Authorization: `Bearer ${expired}` })
        ).status,
      ).toBe(401);
      const forged = tokenFor('root', { roles: ['admin'] }, { secret: 'another-secret-another-secret-123' });
      expect(
        (
          await t
            .http()
            .get('/internal/jobs')
            .set({ Authorization: `Bearer ${forged}` })
        ).status,
      ).toBe(401);
      expect(
        (
          await t
            .http()
            .get('/internal/jobs')
            .set({ Cookie: `mm_jobs_token=${forged}` })
        ).status,
      ).toBe(401);
    });

    it('serves the dashboard and its API for every queue to the API key and an operator, not a tenant admin', async () => {
      const page = await t.http().get('/internal/jobs').set(apiKey);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const byKey = await t.http().get('/internal/jobs/api/queues').set(apiKey);
      expect(byKey.status).toBe(200);
      expect(queueNames(byKey.body)).toEqual(['game-creation', 'maintenance', 'matching']);
      const byOperator = await t
        .http()
        .get('/internal/jobs/api/queues')
        .set(bearer('ops', { roles: ['operator'] }));
      expect(byOperator.status).toBe(200);
      expect(queueNames(byOperator.body)).toEqual(['game-creation', 'maintenance', 'matching']);
      const byAdmin = await t.http().get('/internal/jobs/api/queues').set(admin(B));
      expect(byAdmin.status).toBe(403);
      expect(byAdmin.body.code).toBe('FORBIDDEN');
    });

    it('lets a browser sign in once with ?access_token= and then rides on a path-scoped cookie', async () => {
      const token = tokenFor('ops', { roles: ['operator'] });
      const first = await t.http().get(`/internal/jobs?access_token=${token}`);
      expect(first.status).toBe(200);
      const cookie = String(first.headers['set-cookie']);
      expect(cookie).toMatch(/mm_jobs_token=/);
      expect(cookie).toMatch(/Path=\/internal\/jobs/);
      expect(cookie).toMatch(/HttpOnly/);
      const api = await t
        .http()
        .get('/internal/jobs/api/queues')
        .set({ Cookie: cookie.split(';')[0] });
      expect(api.status).toBe(200);
      expect(queueNames(api.body)).toHaveLength(3);
    });
  });
});
