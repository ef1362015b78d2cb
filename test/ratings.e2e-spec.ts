import request from 'supertest';
import { adminAuth, playerApi, playerAuth } from './support/api';
import { libraryRates, NEWCOMER, ratingsDb, rounded } from './support/ratings';
import { Stub, useStubbedService } from './support/stub';
import { apiKey, tenantIds, TEST_API_KEY, TestApp } from './support/test-app';

const newTenant = tenantIds('r');

describe('ratings from game results, and the leaderboard', () => {
  let stub: Stub;
  let t: TestApp;
  useStubbedService({ ACTIVE_GAME_CHECK: 'false' }, async (started) => {
    ({ stub, t } = started);
    await stub.control({ result_url: t.url, result_api_key: TEST_API_KEY });
  });
  const { join, untilStatus, setRating, postResult } = playerApi(() => t, { named: true });
  const { stored, insertMatch } = ratingsDb(() => t.db);

  it('rates a game created through the queue by the Glicko-2 library, with the result posted by the live-game API', async () => {
    const tenant = newTenant();
    await setRating(tenant, 'ann', 'blitz', 1550, 120);
    const annEntry = (await join(tenant, 'ann', { time_control: '3+2' })).queue_entry_id;
    await join(tenant, 'ben', { time_control: '3+2' });
    const entry = await untilStatus(tenant, 'ann', annEntry, 'MATCHED', 10_000);
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
      const me = await t.http().get('/v1/players/me').set(playerAuth(tenant, user));
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
    await setRating(tenant, 'cat', 'rapid', 1700, 80);
    await setRating(tenant, 'dan', 'rapid', 1640, 150);
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
    await setRating(tenant, 'eve', 'blitz', 1810, 200);
    await setRating(tenant, 'fay', 'blitz', 1810, 200);
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
    await setRating(tenant, 'lea', 'blitz', 1620, 90);
    const leaAsImported = { rating: 1620, deviation: 90, volatility: 0.06, username: null, games: 0 };
    const aborted = await insertMatch(tenant, 'lea', 'max');
    const res = await postResult(aborted, 'aborted');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'aborted', recorded: true, ratings: null });
    expect(await stored(tenant, 'lea')).toEqual(leaAsImported);
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
    expect(await stored(tenant, 'lea')).toEqual(leaAsImported);
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

    const player = await postResult(gameId, 'white', playerAuth(tenant, 'ned'));
    expect(player.status).toBe(403);
    const otherAdmin = await postResult(gameId, 'white', adminAuth(newTenant(), 'boss'));
    expect(otherAdmin.status).toBe(404);
    const none = await t.http().post(`/internal/games/${gameId}/result`).send({ result: 'white' });
    expect(none.status).toBe(401);
    expect(await stored(tenant, 'ned')).toBeUndefined();

    const admin = await postResult(gameId, 'white', adminAuth(tenant, 'boss'));
    expect(admin.status).toBe(200);
    expect(admin.body.ratings.white.user_id).toBe('ned');
    expect((await stored(tenant, 'ned'))!.games).toBe(1);
  });
});
