import { expectProblem } from './support/api';
import { A, admin, B, player, POOL, useAdminScenario } from './support/admin-scenario';
import { apiKey, TestApp } from './support/test-app';

/** Queue figures and waiting entries on the admin scenario (support/admin-scenario.ts). */
describe('admin (/internal)', () => {
  let t: TestApp;
  const ids = useAdminScenario((started) => (t = started));

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
        'tickets',
        'timeouts_last_5m',
        'waiting_count',
      ]);
      expect(main.waiting_count).toBe(3);
      expect(main.tickets).toBe(3);
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
        tickets: 0,
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
      expectProblem(none, 401, 'UNAUTHORIZED');
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
      // The 1v1 QueueEntry: its 18 fields and the format.
      expect(Object.keys(res.body[0])).toHaveLength(19);
      expect(res.body[0].format).toBe('1v1');
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
});
