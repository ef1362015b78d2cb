import { Glicko2 } from 'glicko2';
import request from 'supertest';
import { apiKey, bearer, TEST_API_KEY, TestApp, waitFor } from './support/test-app';
import { startWithStub, Stub } from './support/stub';

let tenantSeq = 0;
const newTenant = () => `r${Date.now().toString(36)}${tenantSeq++}`;
let gameSeq = 0;

interface Rating {
  rating: number;
  deviation: number;
  volatility: number;
}
interface StoredRow extends Rating {
  username: string | null;
  games: number;
}

const NEWCOMER: Rating = { rating: 1500, deviation: 350, volatility: 0.06 };

/** What the glicko2 package itself says one game does, with the service's documented parameters. */
function libraryRates(white: Rating, black: Rating, whiteScore: number): { white: Rating; black: Rating } {
  const system = new Glicko2({ tau: 0.5, rating: 1500, rd: 350, vol: 0.06 });
  const w = system.makePlayer(white.rating, white.deviation, white.volatility);
  const b = system.makePlayer(black.rating, black.deviation, black.volatility);
  system.updateRatings([[w, b, whiteScore]]);
  return {
    white: { rating: w.getRating(), deviation: w.getRd(), volatility: w.getVol() },
    black: { rating: b.getRating(), deviation: b.getRd(), volatility: b.getVol() },
  };
}

const rounded = (r: Rating) => ({ rating: Math.round(r.rating), deviation: Number(r.deviation.toFixed(1)) });

describe('ratings from game results, and the leaderboard', () => {
  let stub: Stub;
  let t: TestApp;

  beforeAll(async () => {
    ({ stub, t } = await startWithStub({ ACTIVE_GAME_CHECK: 'false' }));
    await stub.control({ result_url: t.url, result_api_key: TEST_API_KEY });
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  const postResult = (gameId: string, result: unknown, headers: Record<string, string> = apiKey) =>
    t.http().post(`/internal/games/${gameId}/result`).set(headers).send({ result });

  const stored = async (tenant: string, user: string, category = 'blitz'): Promise<StoredRow | undefined> => {
    const [row] = await t.db.query(
      `SELECT username, rating, deviation, volatility, games FROM player_ratings WHERE tenant_id = $1 AND user_id = $2 AND category = $3`,
      [tenant, user, category],
    );
    return row;
  };

  const importRating = (tenant: string, user: string, category: string, rating: number, deviation?: number) =>
    t
      .http()
      .put(`/internal/players/${user}/ratings/${category}?tenant_id=${tenant}`)
      .set(apiKey)
      .send(deviation === undefined ? { rating } : { rating, deviation })
      .expect(200);

  /** A CREATED match with a game id, as the game-creation job leaves it. */
  const insertMatch = async (
    tenant: string,
    white: string,
    black: string,
    opts: { mode?: string; timeControl?: string; category?: string; variant?: string } = {},
  ): Promise<string> => {
    const n = gameSeq++;
    const gameId = `g_rt_${tenant}_${n}`;
    const timeControl = opts.timeControl ?? '5+0';
    const mode = opts.mode ?? 'rated';
    const variant = opts.variant ?? 'standard';
    await t.db.query(
      `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category,
         white_user_id, black_user_id, white_username, black_username, white_rating, black_rating, rating_gap,
         game_id, game_created_at)
       VALUES ($1, $2, 'queue', 'CREATED', $3, $4, $5, $6, $7, $8, $9, $10, $11, 1500, 1500, 0, $12, now())`,
      [
        `m_rt_${tenant}_${n}`,
        tenant,
        `${variant}_${timeControl}_${mode}`,
        timeControl,
        mode,
        variant,
        opts.category ?? 'blitz',
        white,
        black,
        white.toUpperCase(),
        black.toUpperCase(),
        gameId,
      ],
    );
    return gameId;
  };

  const leaderboard = (tenant: string, query = '', user = 'viewer') =>
    t
      .http()
      .get(`/v1/leaderboard${query}`)
      .set(bearer(user, { tenant_id: tenant }));

  it('rates a game created through the queue by the Glicko-2 library, with the result posted by the live-game API', async () => {
    const tenant = newTenant();
    await importRating(tenant, 'ann', 'blitz', 1550, 120);
    const join = async (user: string) => {
      const res = await t
        .http()
        .post('/v1/matchmaking/queue')
        .set(bearer(user, { tenant_id: tenant, username: user.toUpperCase() }))
        .send({ time_control: '3+2' });
      expect(res.status).toBe(201);
      return res.body.queue_entry_id as string;
    };
    const annEntry = await join('ann');
    await join('ben');
    const entry = await waitFor(async () => {
      const res = await t
        .http()
        .get(`/v1/matchmaking/queue/${annEntry}`)
        .set(bearer('ann', { tenant_id: tenant }));
      return res.body.status === 'MATCHED' && res.body;
    });
    const [white, black] = entry.color === 'white' ? ['ann', 'ben'] : ['ben', 'ann'];
    const before = { ann: { rating: 1550, deviation: 120, volatility: 0.06 }, ben: NEWCOMER };

    // The live-game stub finishes the game and posts "white" to POST /internal/games/{id}/result.
    const finished = await request(stub.url).post(`/control/games/${entry.game_id}/finish`).send({ result: 'white' });
    expect(finished.status).toBe(200);
    expect(finished.body.result_post).toMatchObject({ state: 'posted', last_status: 200 });

    const expected = libraryRates(before[white as 'ann' | 'ben'], before[black as 'ann' | 'ben'], 1);
    const w = await stored(tenant, white);
    const b = await stored(tenant, black);
    expect(w).toEqual({ ...expected.white, username: white.toUpperCase(), games: 1 });
    expect(b).toEqual({ ...expected.black, username: black.toUpperCase(), games: 1 });
    expect(w!.rating).toBeGreaterThan(before[white as 'ann' | 'ben'].rating);
    expect(b!.rating).toBeLessThan(before[black as 'ann' | 'ben'].rating);
    const [match] = await t.db.query(`SELECT result FROM matches WHERE game_id = $1`, [entry.game_id]);
    expect(match.result).toBe('white');

    for (const [user, after] of [
      [white, expected.white],
      [black, expected.black],
    ] as const) {
      const me = await t
        .http()
        .get('/v1/players/me')
        .set(bearer(user, { tenant_id: tenant }));
      expect(me.status).toBe(200);
      expect(me.body.ratings.blitz).toEqual({ ...rounded(after), games: 1 });
      expect(me.body.ratings.rapid).toEqual({ rating: 1500, deviation: 350, games: 0 });
    }

    // The stub retrying (or a second report) changes nothing.
    const again = await postResult(entry.game_id, 'black');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      game_id: entry.game_id,
      match_id: entry.match_id,
      tenant_id: tenant,
      result: 'white',
      recorded: false,
      ratings: null,
    });
    expect(await stored(tenant, white)).toEqual(w);
    expect(await stored(tenant, black)).toEqual(b);
  });

  it('moves the winner up and the loser down by exactly the library’s amounts, and answers with the changes', async () => {
    const tenant = newTenant();
    await importRating(tenant, 'cat', 'rapid', 1700, 80);
    await importRating(tenant, 'dan', 'rapid', 1640, 150);
    const gameId = await insertMatch(tenant, 'cat', 'dan', { timeControl: '10+0', category: 'rapid' });
    const before = {
      cat: { rating: 1700, deviation: 80, volatility: 0.06 },
      dan: { rating: 1640, deviation: 150, volatility: 0.06 },
    };

    const res = await postResult(gameId, 'black');
    expect(res.status).toBe(200);
    const expected = libraryRates(before.cat, before.dan, 0);
    expect(res.body).toEqual({
      game_id: gameId,
      match_id: expect.any(String),
      tenant_id: tenant,
      result: 'black',
      recorded: true,
      ratings: {
        category: 'rapid',
        white: {
          user_id: 'cat',
          before: { rating: 1700, deviation: 80, games: 0 },
          after: { ...rounded(expected.white), games: 1 },
        },
        black: {
          user_id: 'dan',
          before: { rating: 1640, deviation: 150, games: 0 },
          after: { ...rounded(expected.black), games: 1 },
        },
      },
    });
    expect(await stored(tenant, 'cat', 'rapid')).toEqual({ ...expected.white, username: 'CAT', games: 1 });
    expect(await stored(tenant, 'dan', 'rapid')).toEqual({ ...expected.black, username: 'DAN', games: 1 });
    expect(expected.black.rating).toBeGreaterThan(1640);
    expect(expected.white.rating).toBeLessThan(1700);
    expect(await stored(tenant, 'cat', 'blitz')).toBeUndefined();

    // A second game starts from the stored state, volatility included.
    const second = await insertMatch(tenant, 'dan', 'cat', { timeControl: '10+0', category: 'rapid' });
    expect((await postResult(second, 'white')).body.recorded).toBe(true);
    const next = libraryRates(expected.black, expected.white, 1);
    expect(await stored(tenant, 'dan', 'rapid')).toEqual({ ...next.white, username: 'DAN', games: 2 });
    expect(await stored(tenant, 'cat', 'rapid')).toEqual({ ...next.black, username: 'CAT', games: 2 });
  });

  it('rates other variants in the variant’s own category', async () => {
    const tenant = newTenant();
    const gameId = await insertMatch(tenant, 'vera', 'vlad', {
      variant: 'chess960',
      category: 'chess960',
      timeControl: '3+0',
    });
    const res = await postResult(gameId, 'white');
    expect(res.body.ratings.category).toBe('chess960');
    const expected = libraryRates(NEWCOMER, NEWCOMER, 1);
    expect(await stored(tenant, 'vera', 'chess960')).toEqual({ ...expected.white, username: 'VERA', games: 1 });
    expect(await stored(tenant, 'vera', 'blitz')).toBeUndefined();
  });

  it('barely moves ratings on a draw between equals but reduces their deviation', async () => {
    const tenant = newTenant();
    await importRating(tenant, 'eve', 'blitz', 1810, 200);
    await importRating(tenant, 'fay', 'blitz', 1810, 200);
    const gameId = await insertMatch(tenant, 'eve', 'fay');
    const res = await postResult(gameId, 'draw');
    expect(res.status).toBe(200);
    const expected = libraryRates(
      { rating: 1810, deviation: 200, volatility: 0.06 },
      { rating: 1810, deviation: 200, volatility: 0.06 },
      0.5,
    );
    for (const [user, after] of [
      ['eve', expected.white],
      ['fay', expected.black],
    ] as const) {
      const row = (await stored(tenant, user))!;
      expect(row).toEqual({ ...after, username: user.toUpperCase(), games: 1 });
      expect(Math.abs(row.rating - 1810)).toBeLessThan(1);
      expect(row.deviation).toBeLessThan(200);
    }
    expect(res.body.ratings.white.after).toEqual({
      rating: 1810,
      deviation: rounded(expected.white).deviation,
      games: 1,
    });
  });

  it('applies a repeated result once, and 10 concurrent duplicates exactly once', async () => {
    const tenant = newTenant();
    const first = await insertMatch(tenant, 'gus', 'hal');
    expect((await postResult(first, 'white')).body.recorded).toBe(true);
    const once = libraryRates(NEWCOMER, NEWCOMER, 1);
    const repeat = await postResult(first, 'white');
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ recorded: false, result: 'white', ratings: null });
    expect(await stored(tenant, 'gus')).toEqual({ ...once.white, username: 'GUS', games: 1 });
    expect(await stored(tenant, 'hal')).toEqual({ ...once.black, username: 'HAL', games: 1 });

    const racy = await insertMatch(tenant, 'ivy', 'jon');
    const answers = await Promise.all(Array.from({ length: 10 }, () => postResult(racy, 'black')));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.recorded)).toHaveLength(1);
    expect(answers.filter((a) => a.body.ratings !== null)).toHaveLength(1);
    const applied = libraryRates(NEWCOMER, NEWCOMER, 0);
    expect(await stored(tenant, 'ivy')).toEqual({ ...applied.white, username: 'IVY', games: 1 });
    expect(await stored(tenant, 'jon')).toEqual({ ...applied.black, username: 'JON', games: 1 });
  });

  it('rates concurrent games of the same player without losing an update or deadlocking', async () => {
    const tenant = newTenant();
    const opponents = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
    const games = await Promise.all(
      opponents.map((o, i) => (i % 2 ? insertMatch(tenant, 'kim', o) : insertMatch(tenant, o, 'kim'))),
    );
    const answers = await Promise.all(games.map((g) => postResult(g, 'draw')));
    expect(answers.map((a) => [a.status, a.body.recorded])).toEqual(Array(6).fill([200, true]));
    expect((await stored(tenant, 'kim'))!.games).toBe(6);
    for (const o of opponents) expect((await stored(tenant, o))!.games).toBe(1);
    // Each answer's "before" is the previous answer's "after": the six updates were serialised.
    const kimSides = answers.map((a) =>
      a.body.ratings.white.user_id === 'kim' ? a.body.ratings.white : a.body.ratings.black,
    );
    expect(kimSides.map((s) => s.before.games).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('changes no rating for aborted or casual games', async () => {
    const tenant = newTenant();
    await importRating(tenant, 'lea', 'blitz', 1620, 90);
    const aborted = await insertMatch(tenant, 'lea', 'max');
    const res = await postResult(aborted, 'aborted');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'aborted', recorded: true, ratings: null });
    expect(await stored(tenant, 'lea')).toEqual({
      rating: 1620,
      deviation: 90,
      volatility: 0.06,
      username: null,
      games: 0,
    });
    expect(await stored(tenant, 'max')).toBeUndefined();
    // An aborted game stays aborted: a late "white" does not rate it.
    expect((await postResult(aborted, 'white')).body).toMatchObject({
      result: 'aborted',
      recorded: false,
      ratings: null,
    });
    expect(await stored(tenant, 'max')).toBeUndefined();

    const casual = await insertMatch(tenant, 'lea', 'max', { mode: 'casual' });
    const c = await postResult(casual, 'white');
    expect(c.body).toMatchObject({ result: 'white', recorded: true, ratings: null });
    expect(await stored(tenant, 'lea')).toEqual({
      rating: 1620,
      deviation: 90,
      volatility: 0.06,
      username: null,
      games: 0,
    });
    expect(await stored(tenant, 'max')).toBeUndefined();
    const [row] = await t.db.query(`SELECT result FROM matches WHERE game_id = $1`, [casual]);
    expect(row.result).toBe('white');
  });

  it('answers 404 for an unknown game, 400 for a bad body and 403 for a player token', async () => {
    const tenant = newTenant();
    const gameId = await insertMatch(tenant, 'ned', 'oli');
    const unknown = await postResult('g_does_not_exist', 'white');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');

    for (const body of [{}, { result: 'win' }, { result: 1 }, { result: 'white', extra: true }]) {
      const bad = await t.http().post(`/internal/games/${gameId}/result`).set(apiKey).send(body);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_REQUEST');
    }
    const named = await postResult(gameId, 'win');
    expect(named.body.errors.map((e: { field: string }) => e.field)).toContain('result');

    const player = await postResult(gameId, 'white', bearer('ned', { tenant_id: tenant }));
    expect(player.status).toBe(403);
    const otherAdmin = await postResult(gameId, 'white', bearer('boss', { tenant_id: newTenant(), roles: ['admin'] }));
    expect(otherAdmin.status).toBe(404);
    const none = await t.http().post(`/internal/games/${gameId}/result`).send({ result: 'white' });
    expect(none.status).toBe(401);
    expect(await stored(tenant, 'ned')).toBeUndefined();

    const admin = await postResult(gameId, 'white', bearer('boss', { tenant_id: tenant, roles: ['admin'] }));
    expect(admin.status).toBe(200);
    expect(admin.body.ratings.white.user_id).toBe('ned');
    expect((await stored(tenant, 'ned'))!.games).toBe(1);
  });

  it('ranks the tenant’s players with games, best first, ties by user id', async () => {
    const tenant = newTenant();
    const other = newTenant();
    await importRating(tenant, 'imported', 'blitz', 2400, 50);
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
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('INVALID_REQUEST');
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
