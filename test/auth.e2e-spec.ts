import { JwtService } from '@nestjs/jwt';
import { apiKey, bearer, startApp, TEST_JWT_SECRET, TestApp, tokenFor, useService } from './support/test-app';

describe('authentication and tenancy', () => {
  let t: TestApp;
  useService({ ROLE: 'api' }, (started) => (t = started));

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['no token', undefined],
    ['a malformed token', 'Bearer not.a.jwt'],
    ['a non-bearer scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['an expired token', `Bearer ${tokenFor('alice', {}, { expiresIn: -10 })}`],
    ['a wrongly signed token', `Bearer ${tokenFor('alice', {}, { secret: 'another-secret-0123456789abcdef' })}`],
    ['alg none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', exp: now() + 60 })}.`],
    ['no exp claim', `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: 'alice' })}`],
    ['an empty sub', `Bearer ${new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: '', exp: now() + 60 })}`],
    ['a 65-character sub', `Bearer ${tokenFor('a'.repeat(65))}`],
    ['a malformed tenant', `Bearer ${tokenFor('alice', { tenant_id: 'a b' })}`],
    ['roles that are not a list', `Bearer ${tokenFor('alice', { roles: 'admin' as unknown as string[] })}`],
  ])('answers %s with 401 UNAUTHORIZED', async (_, authorization) => {
    const req = t.http().get('/v1/matchmaking/active');
    if (authorization) req.set('Authorization', authorization);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', title: 'Unauthorized' });
    expect(res.body.request_id).toBeTruthy();
  });

  it('accepts ?access_token= only on the event stream', async () => {
    const res = await t.http().get(`/v1/matchmaking/active?access_token=${tokenFor('alice')}`);
    expect(res.status).toBe(401);
  });

  describe('internal routes', () => {
    const put = (tenant?: string) =>
      t
        .http()
        .put(`/internal/players/zed/ratings/blitz${tenant ? `?tenant_id=${tenant}` : ''}`)
        .send({ rating: 1600 });

    it('refuse callers without credentials (401) and plain players (403)', async () => {
      expect((await put()).status).toBe(401);
      const player = await put().set(bearer('zed'));
      expect(player.status).toBe(403);
      expect(player.body.code).toBe('FORBIDDEN');
      const wrongKey = await put().set('x-api-key', 'nope-nope-nope-nope');
      expect(wrongKey.status).toBe(401);
    });

    it('let the API key act on any tenant and an admin only on its own', async () => {
      const byKey = await put('acme').set(apiKey);
      expect(byKey.status).toBe(200);
      expect(byKey.body).toMatchObject({ tenant_id: 'acme', user_id: 'zed', category: 'blitz', rating: 1600 });

      const byAdmin = await put('globex').set(bearer('root', { tenant_id: 'initech', roles: ['admin'] }));
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.tenant_id).toBe('initech');

      const acme = await t
        .http()
        .get('/v1/players/me')
        .set(bearer('zed', { tenant_id: 'acme' }));
      expect(acme.body.ratings.blitz.rating).toBe(1600);
      const globex = await t
        .http()
        .get('/v1/players/me')
        .set(bearer('zed', { tenant_id: 'globex' }));
      expect(globex.body.ratings.blitz.rating).toBe(1500);
      const initech = await t
        .http()
        .get('/v1/players/me')
        .set(bearer('zed', { tenant_id: 'initech' }));
      expect(initech.body.ratings.blitz.rating).toBe(1600);
    });

    it('refuses the API key when none is configured', async () => {
      const noKey = await startApp({ INTERNAL_API_KEY: '' }, t.storage);
      try {
        const res = await noKey.http().put('/internal/players/zed/ratings/blitz').set(apiKey).send({ rating: 1600 });
        expect(res.status).toBe(401);
        const admin = await noKey
          .http()
          .put('/internal/players/zed/ratings/blitz')
          .set(bearer('root', { roles: ['admin'] }))
          .send({ rating: 1610 });
        expect(admin.status).toBe(200);
      } finally {
        await noKey.close();
      }
    });
  });
});
