import { EntryEventsService } from '../apps/matchmaking/src/events/entry-events.service';
import { A, admin, B, enqueue, player, POOL, useAdminScenario } from './support/admin-scenario';
import { apiKey, bearer, sleep, TestApp } from './support/test-app';

/** Force-cancelling entries and match records on the admin scenario (support/admin-scenario.ts). */
describe('admin (/internal)', () => {
  let t: TestApp;
  const ids = useAdminScenario((started) => (t = started));

  describe('DELETE /internal/queue-entries/{id}', () => {
    it('force-cancels a SEARCHING entry with ended_reason admin, idempotently, and publishes the change', async () => {
      const id = await enqueue(t, A, 'kim', { time_control: '5+0' });
      let heardResolve!: () => void;
      const heard = new Promise<void>((resolve) => (heardResolve = resolve));
      await t.app.get(EntryEventsService).listen(id, heardResolve);
      await sleep(100);
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
      const matched = await enqueue(t, A, 'lou', { time_control: '5+0' });
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
      const id = await enqueue(t, B, 'max', { time_control: '5+0' });
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
        format: '1v1',
      });
      // A 1v1 record has no `teams` (team matches only).
      expect(Object.keys(m60)).toHaveLength(31);
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
});
