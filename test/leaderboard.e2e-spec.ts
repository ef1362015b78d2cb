import { expectProblem, playerApi, playerAuth } from './support/api';
import { libraryRates, NEWCOMER, Rating, ratingsDb, rounded } from './support/ratings';
import { TestApp, apiKey, tenantIds, useService } from './support/test-app';

const newTenant = tenantIds('r');

describe('ratings from game results, and the leaderboard', () => {
  let t: TestApp;
  useService({ ACTIVE_GAME_CHECK: 'false' }, (started) => (t = started));
  const { setRating, postResult } = playerApi(() => t);
  const { insertMatch } = ratingsDb(() => t.db);
  const leaderboard = (tenant: string, query = '', user = 'viewer') =>
    t.http().get(`/v1/leaderboard${query}`).set(playerAuth(tenant, user));

  it('ranks the tenant’s players with games, best first, ties by user id', async () => {
    const tenant = newTenant();
    const other = newTenant();
    await setRating(tenant, 'imported', 'blitz', 2400, 50);
    for (const [w, b, r] of [
      ['zed', 'x1', 'white'],
      ['x2', 'amy', 'black'],
      ['d1', 'd2', 'draw'],
    ] as const) {
      expect((await postResult(await insertMatch(tenant, w, b), r)).body.recorded).toBe(true);
    }
    expect(
      (
        await postResult(
          await insertMatch(tenant, 'rap1', 'rap2', { timeControl: '15+10', category: 'rapid' }),
          'white',
        )
      ).status,
    ).toBe(200);
    expect((await postResult(await insertMatch(other, 'stranger', 'x9'), 'white')).status).toBe(200);

    const win = libraryRates(NEWCOMER, NEWCOMER, 1);
    const draw = libraryRates(NEWCOMER, NEWCOMER, 0.5);
    const entry = (user_id: string, r: Rating) => ({
      user_id,
      username: user_id.toUpperCase(),
      ...rounded(r),
      games: 1,
    });
    const res = await leaderboard(tenant);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      category: 'blitz',
      players: [
        entry('amy', win.white),
        entry('zed', win.white),
        entry('d1', draw.white),
        entry('d2', draw.black),
        entry('x1', win.black),
        entry('x2', win.black),
      ],
      next_offset: null,
    });
    expect(res.body.players[0].rating).toBe(1662);

    const top2 = await leaderboard(tenant, '?category=blitz&limit=2');
    expect(top2.body.players.map((p: { user_id: string }) => p.user_id)).toEqual(['amy', 'zed']);
    const rapid = await leaderboard(tenant, '?category=rapid');
    expect(rapid.body).toEqual({
      category: 'rapid',
      players: [entry('rap1', win.white), entry('rap2', win.black)],
      next_offset: null,
    });
    expect((await leaderboard(tenant, '?category=classical')).body).toEqual({
      category: 'classical',
      players: [],
      next_offset: null,
    });

    const theirs = await leaderboard(other);
    expect(theirs.body.players.map((p: { user_id: string }) => p.user_id)).toEqual(['stranger', 'x9']);
  });

  it('applies the default limit of 50 and allows up to 200', async () => {
    const tenant = newTenant();
    await t.db.query(
      `INSERT INTO player_ratings (tenant_id, user_id, category, username, rating, deviation, volatility, games)
       SELECT $1, 'p' || lpad(i::text, 3, '0'), 'blitz', NULL, 1000 + i, 100, 0.06, 1 FROM generate_series(1, 210) AS i`,
      [tenant],
    );
    const byDefault = await leaderboard(tenant);
    expect(byDefault.body.players).toHaveLength(50);
    expect(byDefault.body.players[0]).toEqual({
      user_id: 'p210',
      username: null,
      rating: 1210,
      deviation: 100,
      games: 1,
    });
    expect(byDefault.body.players[49].user_id).toBe('p161');
    expect((await leaderboard(tenant, '?limit=200')).body.players).toHaveLength(200);
    expect((await leaderboard(tenant, '?limit=1')).body.players.map((p: { user_id: string }) => p.user_id)).toEqual([
      'p210',
    ]);
  });

  it.each([
    ['?category=hyperbullet', 'category'],
    ['?category=', 'category'],
    ['?category=standard', 'category'],
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?limit=-5', 'limit'],
    ['?limit=ten', 'limit'],
    ['?limit=2.5', 'limit'],
  ])('rejects the leaderboard query %s with 400 naming %s', async (query, field) => {
    const res = await leaderboard(newTenant(), query);
    expectProblem(res, 400, 'INVALID_REQUEST');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('requires a player token for the leaderboard', async () => {
    expect((await t.http().get('/v1/leaderboard')).status).toBe(401);
    expect((await t.http().get('/v1/leaderboard').set(apiKey)).status).toBe(401);
  });

  it('documents the rating changes and the leaderboard in OpenAPI', async () => {
    const doc = (await t.http().get('/docs-json')).body;
    const result = doc.components.schemas.GameResultDto;
    expect(result.properties.ratings).toBeDefined();
    expect(doc.paths['/v1/leaderboard'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'category',
      'limit',
      'offset',
    ]);
  });
});
