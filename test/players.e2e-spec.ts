import { apiKey, bearer, TestApp, useService } from './support/test-app';

describe('players', () => {
  let t: TestApp;
  useService({ ROLE: 'api' }, (started) => (t = started));

  it('starts every player at 1500 in every category, 1v1 and team', async () => {
    const res = await t.http().get('/v1/players/me').set(bearer('newbie'));
    expect(res.status).toBe(200);
    expect(res.body.user_id).toBe('newbie');
    expect(res.body.tenant_id).toBe('default');
    const solo = ['blitz', 'bullet', 'chess960', 'classical', 'rapid'];
    expect(Object.keys(res.body.ratings).sort()).toEqual([...solo, ...solo.map((c) => `team_${c}`)]);
    for (const r of Object.values(res.body.ratings)) expect(r).toEqual({ rating: 1500, deviation: 350, games: 0 });
  });

  it('imports a rating and shows it', async () => {
    const put = await t
      .http()
      .put('/internal/players/pro/ratings/rapid')
      .set(apiKey)
      .send({ rating: 2210.4, deviation: 60 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      user_id: 'pro',
      tenant_id: 'default',
      category: 'rapid',
      rating: 2210,
      deviation: 60,
      games: 0,
    });
    const again = await t.http().put('/internal/players/pro/ratings/rapid').set(apiKey).send({ rating: 2250 });
    expect(again.body).toMatchObject({ rating: 2250, deviation: 60 });
    const me = await t.http().get('/v1/players/me').set(bearer('pro'));
    expect(me.body.ratings.rapid).toEqual({ rating: 2250, deviation: 60, games: 0 });
  });

  it.each([
    [{}, 'rating'],
    [{ rating: 'high' }, 'rating'],
    [{ rating: 0 }, 'rating'],
    [{ rating: 5000 }, 'rating'],
    [{ rating: 1500, deviation: -1 }, 'deviation'],
    [{ rating: 1500, deviation: 900 }, 'deviation'],
    [{ rating: 1500, games: 3 }, 'games'],
  ])('rejects %j with 400 naming %s', async (body, field) => {
    const res = await t.http().put('/internal/players/pro/ratings/blitz').set(apiKey).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it.each(['u'.repeat(65), 'a%20b', '%00'])('rejects the user id %s with 400 naming user_id', async (userId) => {
    const res = await t.http().put(`/internal/players/${userId}/ratings/blitz`).set(apiKey).send({ rating: 1500 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'user_id', message: expect.any(String) }]);
  });

  it('answers an unknown category with 404', async () => {
    const res = await t.http().put('/internal/players/pro/ratings/hyperbullet').set(apiKey).send({ rating: 1500 });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
