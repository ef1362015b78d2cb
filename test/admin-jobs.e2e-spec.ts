import { ADMIN_ENV, admin, B, player } from './support/admin-scenario';
import { apiKey, bearer, TestApp, tokenFor, useService } from './support/test-app';

/** The bull-board job dashboard behind the internal API's guard. */
describe('admin (/internal)', () => {
  let t: TestApp;
  useService(ADMIN_ENV, (started) => (t = started));

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
      const forged = tokenFor('root', { roles: ['admin'] }, { secret: 'another-secret-another-secret-123' });
      for (const credentials of [
        { Authorization: `Bearer ${expired}` },
        { Authorization: `Bearer ${forged}` },
        { Cookie: `mm_jobs_token=${forged}` },
      ]) {
        expect((await t.http().get('/internal/jobs').set(credentials)).status).toBe(401);
      }
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
