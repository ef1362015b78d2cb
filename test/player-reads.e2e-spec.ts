import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { Glicko2 } from 'glicko2';
import { tmpdir } from 'os';
import { join as joinPath, resolve } from 'path';
import { apiKey, bearer, tenantIds, TestApp, waitFor } from './support/test-app';
import { startWithStub, Stub } from './support/stub';
import { toJsonSchema, typeCheckUsage } from './support/openapi';

const DAY_MS = 86_400_000;
const SETTINGS = { tau: 0.5, rating: 1500, rd: 350, vol: 0.06 };

/** The glicko2 package's own deviation after `periods` rating periods without a game. */
function libraryIdle(rating: number, deviation: number, periods: number): number {
  const system = new Glicko2(SETTINGS);
  const p = system.makePlayer(rating, deviation, 0.06);
  for (let i = 0; i < periods; i++) system.updateRatings([]);
  return p.getRd();
}

describe('player-facing reads: lobby, public profiles, match history, leaderboard pages, inactivity', () => {
  let stub: Stub;
  let t: TestApp;
  let doc: any;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  const newTenant = tenantIds('pr');
  let seq = 0;

  /** The body validates against the schema /docs-json documents for the route and status. */
  const expectDocumented = (template: string, status: number, body: unknown) => {
    const op = doc.paths[template]?.get;
    const content = op?.responses[String(status)]?.content;
    const schema = (content?.['application/json'] ?? content?.['application/problem+json'])?.schema;
    if (!schema) throw new Error(`GET ${template} ${status} is not documented`);
    const key = `${template} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ ...toJsonSchema(schema), components: toJsonSchema(doc.components) });
      validators.set(key, validate);
    }
    if (!validate(body)) throw new Error(`${key}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  };

  const get = async (template: string, path: string, user: string, tenant: string, status: number) => {
    const res = await t
      .http()
      .get(path)
      .set(bearer(user, { tenant_id: tenant }));
    expect(res.status).toBe(status);
    expectDocumented(template, status, res.body);
    return res.body;
  };

  const join = async (tenant: string, user: string, body: Record<string, unknown>) => {
    const res = await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer(user, { tenant_id: tenant, username: user.toUpperCase() }))
      .send(body);
    expect(res.status).toBe(201);
    return res.body.queue_entry_id as string;
  };

  const importRating = (tenant: string, user: string, category: string, rating: number, deviation?: number) =>
    t
      .http()
      .put(`/internal/players/${user}/ratings/${category}?tenant_id=${tenant}`)
      .set(apiKey)
      .send(deviation === undefined ? { rating } : { rating, deviation })
      .expect(200);

  /** A CREATED match with a game, as game creation leaves it; `createdAt` as SQL (ties are allowed). */
  const insertMatch = async (
    tenant: string,
    white: string,
    black: string,
    opts: { mode?: string; createdAt?: string } = {},
  ): Promise<{ matchId: string; gameId: string }> => {
    const n = seq++;
    const matchId = `m_pr_${tenant}_${n}`;
    const gameId = `g_pr_${tenant}_${n}`;
    const mode = opts.mode ?? 'rated';
    await t.db.query(
      `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category,
         white_user_id, black_user_id, white_username, black_username, white_rating, black_rating, rating_gap,
         game_id, game_created_at, created_at)
       VALUES ($1, $2, 'queue', 'CREATED', $3, '5+0', $4, 'standard', 'blitz', $5, $6, $7, $8, 1500, 1480, 20, $9,
               now(), ${opts.createdAt ?? 'now()'})`,
      [matchId, tenant, `standard_5+0_${mode}`, mode, white, black, white.toUpperCase(), null, gameId],
    );
    return { matchId, gameId };
  };

  beforeAll(async () => {
    ({ stub, t } = await startWithStub({ ACTIVE_GAME_CHECK: 'false', REMATCH_COOLDOWN_SECONDS: '0' }));
    doc = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('generates client types from /docs-json that typed calls of every read compile against', () => {
    // openapi-typescript is ESM-only, so its CLI runs in a node process of its own.
    const dir = mkdtempSync(joinPath(tmpdir(), 'mm-reads-openapi-'));
    writeFileSync(joinPath(dir, 'openapi.json'), JSON.stringify(doc));
    execFileSync(
      process.execPath,
      [
        resolve('node_modules/openapi-typescript/bin/cli.js'),
        joinPath(dir, 'openapi.json'),
        '--default-non-nullable=false',
        '-o',
        joinPath(dir, 'api.d.ts'),
      ],
      { stdio: 'pipe' },
    );
    const diagnostics = typeCheckUsage(
      dir,
      `
      import createClient from 'openapi-fetch';
      import type { paths } from './api';
      const client = createClient<paths>({ baseUrl: 'http://localhost' });
      export async function usage(): Promise<number> {
        const lobby = await client.GET('/v1/matchmaking/pools', { params: { query: { variant: 'standard', mode: 'rated', format: '1v1' } } });
        const waiting: number = lobby.data!.pools[0].waiting_count;
        const wait: number = lobby.data!.pools[0].estimated_wait_seconds;
        const profile = await client.GET('/v1/players/{user_id}', { params: { path: { user_id: 'bob' } } });
        const name: string | null = profile.data!.username;
        const deviation: number = profile.data!.ratings.blitz.deviation;
        const page = await client.GET('/v1/matchmaking/matches', { params: { query: { limit: 10, before: 'm_1' } } });
        const next: string | null = page.data!.next_before;
        const first = page.data!.matches[0];
        const after: number | null = first.players[1].rating_after;
        const outcome: 'win' | 'loss' | 'draw' | 'aborted' | null = first.outcome;
        const one = await client.GET('/v1/matchmaking/matches/{match_id}', { params: { path: { match_id: first.match_id } } });
        const opponent: string = one.data!.opponent.user_id;
        const board = await client.GET('/v1/leaderboard', { params: { query: { category: 'blitz', limit: 50, offset: 50 } } });
        const nextOffset: number | null = board.data!.next_offset;
        void name; void next; void after; void outcome; void opponent; void nextOffset;
        return waiting + wait + deviation;
      }
    `,
    );
    expect(diagnostics).toEqual([]);
  });

  describe('GET /v1/matchmaking/pools', () => {
    const lobby = (tenant: string, query = '') =>
      get('/v1/matchmaking/pools', `/v1/matchmaking/pools${query}`, 'viewer', tenant, 200);

    it('lists every non-empty pool of the tenant from the tick, filters it, and drops pools that empty', async () => {
      const tenant = newTenant();
      const other = newTenant();
      await join(tenant, 'ada', { time_control: '3+2' });
      const bea = await join(tenant, 'bea', { time_control: '10+0', mode: 'casual' });
      await join(tenant, 'cy', { time_control: '5+0', variant: 'chess960' });
      await join(other, 'dee', { time_control: '1+0' });

      const body = await waitFor(async () => {
        const b = await lobby(tenant);
        return b.pools.length === 3 && b;
      });
      // Nobody has been matched in these pools: the estimate is the time for the window to widen three steps.
      const fallback = Math.ceil(t.config.matchTickMs / 1000) + 3 * t.config.matching.windowStepSeconds;
      expect(body.pools).toEqual(
        expect.arrayContaining([
          {
            pool_key: 'standard_3+2_rated',
            time_control: '3+2',
            mode: 'rated',
            variant: 'standard',
            format: '1v1',
            waiting_count: 1,
            estimated_wait_seconds: fallback,
          },
          expect.objectContaining({ pool_key: 'standard_10+0_casual', mode: 'casual', waiting_count: 1 }),
          expect.objectContaining({ pool_key: 'chess960_5+0_rated', variant: 'chess960', waiting_count: 1 }),
        ]),
      );
      expect((await lobby(tenant, '?mode=casual')).pools.map((p: any) => p.pool_key)).toEqual(['standard_10+0_casual']);
      expect((await lobby(tenant, '?variant=chess960&format=1v1')).pools.map((p: any) => p.pool_key)).toEqual([
        'chess960_5+0_rated',
      ]);
      expect((await lobby(tenant, '?variant=standard&mode=rated')).pools.map((p: any) => p.pool_key)).toEqual([
        'standard_3+2_rated',
      ]);
      // Another tenant's pools never show.
      const others = await waitFor(async () => {
        const b = await lobby(other);
        return b.pools.length > 0 && b;
      });
      expect(others.pools).toEqual([expect.objectContaining({ pool_key: 'standard_1+0_rated' })]);

      await t
        .http()
        .delete(`/v1/matchmaking/queue/${bea}`)
        .set(bearer('bea', { tenant_id: tenant }))
        .expect(200);
      await waitFor(async () => (await lobby(tenant)).pools.length === 2);
      expect((await lobby(tenant, '?mode=casual')).pools).toEqual([]);
    });

    it('counts the players still waiting after the tick paired others, with the median wait of recent matches', async () => {
      const tenant = newTenant();
      await join(tenant, 'p1', { time_control: '2+1' });
      await join(tenant, 'p2', { time_control: '2+1' });
      await waitFor(async () => {
        const [row] = await t.db.query(`SELECT count(*)::int AS n FROM matches WHERE tenant_id = $1`, [tenant]);
        return row.n === 1;
      });
      await join(tenant, 'p3', { time_control: '2+1' });
      const [median] = await t.db.query(
        `SELECT ceil(((white_wait_ms + black_wait_ms) / 2) / 1000.0)::int AS s FROM matches WHERE tenant_id = $1`,
        [tenant],
      );
      const body = await waitFor(async () => {
        const b = await lobby(tenant);
        return b.pools.length === 1 && b;
      });
      expect(body.pools).toEqual([
        expect.objectContaining({ pool_key: 'standard_2+1_rated', waiting_count: 1, estimated_wait_seconds: median.s }),
      ]);
    });

    it.each([
      ['?mode=blitz', 'mode'],
      ['?format=9v9', 'format'],
      ['?variant=atomic', 'variant'],
    ])('rejects %s with 400 naming %s', async (query, field) => {
      const body = await get('/v1/matchmaking/pools', `/v1/matchmaking/pools${query}`, 'viewer', newTenant(), 400);
      expect(body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('needs a player token', async () => {
      expect((await t.http().get('/v1/matchmaking/pools')).status).toBe(401);
    });
  });

  describe('GET /v1/players/{user_id}', () => {
    it('shows a known player’s public profile in the same tenant only', async () => {
      const tenant = newTenant();
      await importRating(tenant, 'gus', 'rapid', 1811, 70);
      await join(tenant, 'gus', { time_control: '30+0' });
      const body = await get('/v1/players/{user_id}', '/v1/players/gus', 'viewer', tenant, 200);
      expect(body.user_id).toBe('gus');
      expect(body.username).toBe('GUS');
      expect(body.ratings.rapid).toEqual({ rating: 1811, deviation: 70, games: 0 });
      expect(body.ratings.blitz).toEqual({ rating: 1500, deviation: 350, games: 0 });
      expect(body).not.toHaveProperty('tenant_id');

      await get('/v1/players/{user_id}', '/v1/players/gus', 'viewer', newTenant(), 404);
      const unknown = await get('/v1/players/{user_id}', '/v1/players/nobody', 'viewer', tenant, 404);
      expect(unknown.code).toBe('NOT_FOUND');
      const bad = await get('/v1/players/{user_id}', '/v1/players/a%20b', 'viewer', tenant, 400);
      expect(bad.errors).toEqual([{ field: 'user_id', message: expect.any(String) }]);
    });

    it('knows a player only from a match', async () => {
      const tenant = newTenant();
      await insertMatch(tenant, 'hal', 'ivy');
      const body = await get('/v1/players/{user_id}', '/v1/players/ivy', 'viewer', tenant, 200);
      expect(body).toMatchObject({ user_id: 'ivy', username: null });
    });
  });

  describe('GET /v1/matchmaking/matches', () => {
    const page = (tenant: string, user: string, query: string, status = 200) =>
      get('/v1/matchmaking/matches', `/v1/matchmaking/matches${query}`, user, tenant, status);

    it('pages the caller’s matches newest first without duplicates or gaps while new ones arrive', async () => {
      const tenant = newTenant();
      const existing: string[] = [];
      // Several matches share a created_at (one tick claims many pairs in one statement).
      for (let i = 0; i < 23; i++) {
        const at = `now() - interval '${Math.floor(i / 3)} minutes'`;
        const m =
          i % 2
            ? await insertMatch(tenant, 'kim', `o${i}`, { createdAt: at })
            : await insertMatch(tenant, `o${i}`, 'kim', { createdAt: at });
        existing.push(m.matchId);
      }
      await insertMatch(tenant, 'x1', 'x2'); // someone else's
      const seen: string[] = [];
      let before: string | null = null;
      let pages = 0;
      do {
        const body = await page(tenant, 'kim', `?limit=5${before ? `&before=${before}` : ''}`);
        seen.push(...body.matches.map((m: any) => m.match_id));
        for (const m of body.matches) expect([m.players[0].user_id, m.players[1].user_id]).toContain('kim');
        const times = body.matches.map((m: any) => Date.parse(m.created_at));
        expect([...times].sort((a, b) => b - a)).toEqual(times);
        before = body.next_before;
        if (pages++ === 1) await insertMatch(tenant, 'kim', 'late'); // arrives mid-paging
        if (before) expect(body.matches).toHaveLength(5);
      } while (before);
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...existing].sort());

      const first = await page(tenant, 'kim', '?limit=100');
      expect(first.matches).toHaveLength(24);
      expect(first.next_before).toBeNull();
      expect(first.matches[0].opponent.user_id).toBe('late');
    });

    it('shows opponent, colours, game, result and the rating change of a rated game; casual games have none', async () => {
      const tenant = newTenant();
      await importRating(tenant, 'lea', 'blitz', 1600, 90);
      const rated = await insertMatch(tenant, 'lea', 'max');
      const casual = await insertMatch(tenant, 'max', 'lea', { mode: 'casual' });
      const result = await t
        .http()
        .post(`/internal/games/${rated.gameId}/result`)
        .set(apiKey)
        .send({ result: 'white' })
        .expect(200);
      await t.http().post(`/internal/games/${casual.gameId}/result`).set(apiKey).send({ result: 'draw' }).expect(200);

      const detail = await get(
        '/v1/matchmaking/matches/{match_id}',
        `/v1/matchmaking/matches/${rated.matchId}`,
        'max',
        tenant,
        200,
      );
      const r = result.body.ratings;
      expect(detail).toMatchObject({
        match_id: rated.matchId,
        status: 'CREATED',
        source: 'queue',
        pool_key: 'standard_5+0_rated',
        time_control: '5+0',
        mode: 'rated',
        variant: 'standard',
        format: '1v1',
        category: 'blitz',
        color: 'black',
        opponent: { user_id: 'lea', username: 'LEA', color: 'white', rating: 1500 },
        game_id: rated.gameId,
        result: 'white',
        outcome: 'loss',
        players: [
          {
            user_id: 'lea',
            username: 'LEA',
            color: 'white',
            rating: 1500,
            rating_before: 1600,
            rating_after: r.white.after.rating,
          },
          {
            user_id: 'max',
            username: null,
            color: 'black',
            rating: 1480,
            rating_before: 1500,
            rating_after: r.black.after.rating,
          },
        ],
      });
      expect(r.white.after.rating).toBeGreaterThan(1600);
      const list = await page(tenant, 'lea', '');
      const casualSeen = list.matches.find((m: any) => m.match_id === casual.matchId);
      expect(casualSeen).toMatchObject({ color: 'black', outcome: 'draw', result: 'draw' });
      expect(casualSeen.players.map((p: any) => [p.rating_before, p.rating_after])).toEqual([
        [null, null],
        [null, null],
      ]);
      expect(list.matches.find((m: any) => m.match_id === rated.matchId).outcome).toBe('win');
    });

    it('answers 404 to anyone but the two players, and to another tenant', async () => {
      const tenant = newTenant();
      const { matchId } = await insertMatch(tenant, 'ned', 'ola');
      const path = `/v1/matchmaking/matches/${matchId}`;
      await get('/v1/matchmaking/matches/{match_id}', path, 'ned', tenant, 200);
      await get('/v1/matchmaking/matches/{match_id}', path, 'pat', tenant, 404);
      await get('/v1/matchmaking/matches/{match_id}', path, 'ned', newTenant(), 404);
      await get('/v1/matchmaking/matches/{match_id}', '/v1/matchmaking/matches/m_nope', 'ned', tenant, 404);
      expect((await page(newTenant(), 'ned', '')).matches).toEqual([]);
      const foreignCursor = await page(tenant, 'pat', `?before=${matchId}`, 400);
      expect(foreignCursor.errors.map((e: any) => e.field)).toEqual(['before']);
    });

    it.each([
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=x', 'limit'],
      ['?before=a%20b', 'before'],
      ['?before=m_unknown', 'before'],
    ])('rejects %s with 400 naming %s', async (query, field) => {
      const body = await page(newTenant(), 'quin', query, 400);
      expect(body.errors.map((e: any) => e.field)).toContain(field);
    });
  });

  describe('GET /v1/leaderboard pages', () => {
    it('pages with offset and next_offset, ties in user_id order, null on the last page', async () => {
      const tenant = newTenant();
      const ratings: [string, number][] = [
        ['ua', 1700],
        ['ub', 1650],
        ['uc', 1650],
        ['ud', 1650],
        ['ue', 1600],
      ];
      for (const [user, rating] of ratings) await importRating(tenant, user, 'blitz', rating, 80);
      await t.db.query(`UPDATE player_ratings SET games = 3 WHERE tenant_id = $1`, [tenant]);
      const board = (query: string, status = 200) =>
        get('/v1/leaderboard', `/v1/leaderboard${query}`, 'viewer', tenant, status);

      const p1 = await board('?limit=2');
      expect(p1.players.map((p: any) => p.user_id)).toEqual(['ua', 'ub']);
      expect(p1.next_offset).toBe(2);
      const p2 = await board('?limit=2&offset=2');
      expect(p2.players.map((p: any) => p.user_id)).toEqual(['uc', 'ud']);
      expect(p2.next_offset).toBe(4);
      const p3 = await board('?limit=2&offset=4');
      expect(p3.players.map((p: any) => p.user_id)).toEqual(['ue']);
      expect(p3.next_offset).toBeNull();
      expect((await board('?limit=5')).next_offset).toBeNull();
      expect(await board('?offset=10000')).toEqual({ category: 'blitz', players: [], next_offset: null });
      for (const q of ['?offset=-1', '?offset=10001', '?offset=x']) {
        expect((await board(q, 400)).errors.map((e: any) => e.field)).toContain('offset');
      }
    });
  });

  describe('inactivity', () => {
    /** Moves a rating's last assessment back by whole periods plus an hour. */
    const idleFor = (tenant: string, user: string, periods: number) =>
      t.db.query(
        `UPDATE player_ratings SET rated_at = now() - make_interval(secs => $3::float8)
         WHERE tenant_id = $1 AND user_id = $2`,
        [tenant, user, (periods * t.config.ratingPeriodDays * DAY_MS + 3_600_000) / 1000],
      );

    it.each([0, 1, 10])(
      'widens the deviation over %i sat-out periods exactly as the library computes',
      async (periods) => {
        const tenant = newTenant();
        await importRating(tenant, 'rae', 'blitz', 1720, 80);
        await t.db.query(`UPDATE player_ratings SET games = 4 WHERE tenant_id = $1`, [tenant]);
        await idleFor(tenant, 'rae', periods);
        const expected = Number(libraryIdle(1720, 80, periods).toFixed(1));
        if (periods > 0) expect(expected).toBeGreaterThan(80);
        const me = await t
          .http()
          .get('/v1/players/me')
          .set(bearer('rae', { tenant_id: tenant }))
          .expect(200);
        expect(me.body.ratings.blitz).toEqual({ rating: 1720, deviation: expected, games: 4 });
        const profile = await get('/v1/players/{user_id}', '/v1/players/rae', 'viewer', tenant, 200);
        expect(profile.ratings.blitz.deviation).toBe(expected);
        const board = await get('/v1/leaderboard', '/v1/leaderboard', 'viewer', tenant, 200);
        expect(board.players[0]).toMatchObject({ user_id: 'rae', rating: 1720, deviation: expected });
        // Reads store nothing.
        const [row] = await t.db.query(`SELECT deviation FROM player_ratings WHERE tenant_id = $1`, [tenant]);
        expect(row.deviation).toBe(80);
      },
    );

    it('rates a game from the aged deviation and stores it with the game, restarting the clock', async () => {
      const tenant = newTenant();
      await importRating(tenant, 'sol', 'blitz', 1650, 60);
      await importRating(tenant, 'tam', 'blitz', 1600, 60);
      await idleFor(tenant, 'sol', 10);
      const { gameId } = await insertMatch(tenant, 'sol', 'tam');
      const res = await t.http().post(`/internal/games/${gameId}/result`).set(apiKey).send({ result: 'black' });
      expect(res.status).toBe(200);

      const system = new Glicko2(SETTINGS);
      const sol = system.makePlayer(1650, libraryIdle(1650, 60, 10), 0.06);
      const tam = system.makePlayer(1600, 60, 0.06);
      system.updateRatings([[sol, tam, 0]]);
      expect(res.body.ratings.white.before.deviation).toBe(Number(libraryIdle(1650, 60, 10).toFixed(1)));
      expect(res.body.ratings.black.before.deviation).toBe(60);
      const rows = await t.db.query(
        `SELECT user_id, rating, deviation, rated_at > now() - interval '1 minute' AS fresh FROM player_ratings
         WHERE tenant_id = $1 ORDER BY user_id`,
        [tenant],
      );
      expect(rows[0]).toEqual({ user_id: 'sol', rating: sol.getRating(), deviation: sol.getRd(), fresh: true });
      expect(rows[1]).toEqual({ user_id: 'tam', rating: tam.getRating(), deviation: tam.getRd(), fresh: true });
    });
  });
});
