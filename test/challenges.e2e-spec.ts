import { apiKey, bearer, startApp, tenantIds, TestApp, waitFor } from './support/test-app';
import { startWithStub, Stub, STUB_TOKEN } from './support/stub';

/** Every test uses a tenant of its own, so challenges, games and colour histories never mix. */
const newTenant = tenantIds('c');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ACCEPT_WAIT_MS = 1500;
const TTL_SECONDS = 300;

describe('direct challenges', () => {
  let stub: Stub;
  let t: TestApp;

  beforeAll(async () => {
    ({ stub, t } = await startWithStub({
      LIVE_GAME_API_TIMEOUT_MS: '8000',
      CHALLENGE_TTL_SECONDS: String(TTL_SECONDS),
      ACCEPT_WAIT_MS: String(ACCEPT_WAIT_MS),
      GAME_CREATE_ATTEMPTS: '2',
      GAME_CREATE_BACKOFF_MS: '50',
    }));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });
  afterEach(() => stub.healthy());

  const as = (tenant: string, user: string) => bearer(user, { tenant_id: tenant, username: user.toUpperCase() });
  const api = '/v1/matchmaking';
  const challenge = async (tenant: string, from: string, to: string, body: object = {}) => {
    const res = await t
      .http()
      .post(`${api}/challenges`)
      .set(as(tenant, from))
      .send({ opponent_user_id: to, time_control: '5+0', ...body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const get = (tenant: string, user: string, id: string) =>
    t.http().get(`${api}/challenges/${id}`).set(as(tenant, user));
  const accept = (tenant: string, user: string, id: string) =>
    t.http().post(`${api}/challenges/${id}/accept`).set(as(tenant, user));
  const decline = (tenant: string, user: string, id: string, body?: object) => {
    const req = t.http().post(`${api}/challenges/${id}/decline`).set(as(tenant, user));
    return body === undefined ? req : req.send(body);
  };
  const withdraw = (tenant: string, user: string, id: string) =>
    t.http().delete(`${api}/challenges/${id}`).set(as(tenant, user));
  const list = async (tenant: string, user: string, side: 'incoming' | 'outgoing') => {
    const res = await t.http().get(`${api}/challenges/${side}`).set(as(tenant, user));
    expect(res.status).toBe(200);
    return res.body as any[];
  };
  const setRating = (tenant: string, user: string, category: string, rating: number) =>
    t
      .http()
      .put(`/internal/players/${user}/ratings/${category}?tenant_id=${tenant}`)
      .set(apiKey)
      .send({ rating })
      .expect(200);
  const join = async (tenant: string, user: string, timeControl: string) => {
    const res = await t.http().post(`${api}/queue`).set(as(tenant, user)).send({ time_control: timeControl });
    expect(res.status).toBe(201);
    return res.body;
  };
  const expectProblem = (res: any, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe(code);
  };
  /** Accepts and expects the game to exist within the wait. */
  const acceptWithGame = async (tenant: string, user: string, id: string) => {
    const res = await accept(tenant, user, id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ACCEPTED');
    expect(res.body.game_id).toEqual(expect.any(String));
    return res.body;
  };

  describe('creating', () => {
    it('answers 201 PENDING with the full shape, defaults and expires_at = now + TTL', async () => {
      const tenant = newTenant();
      await setRating(tenant, 'ann', 'blitz', 1620);
      const before = Date.now();
      const res = await t
        .http()
        .post(`${api}/challenges`)
        .set(as(tenant, 'ann'))
        .send({ opponent_user_id: 'not-yet-a-player', time_control: '5+0' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        challenge_id: expect.stringMatching(/^c_[A-Za-z0-9_-]+$/),
        status: 'PENDING',
        challenger_user_id: 'ann',
        opponent_user_id: 'not-yet-a-player',
        challenger: { user_id: 'ann', username: 'ANN', rating: 1620 },
        time_control: '5+0',
        mode: 'rated',
        variant: 'standard',
        preferred_color: 'random',
        created_at: expect.any(String),
        expires_at: expect.any(String),
        decline_reason: null,
        match_id: null,
        game_id: null,
      });
      const created = Date.parse(res.body.created_at);
      expect(created).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(res.body.expires_at) - created).toBe(TTL_SECONDS * 1000);

      const explicit = await challenge(tenant, 'ann', 'bob', {
        time_control: '1+0',
        mode: 'casual',
        variant: 'chess960',
        preferred_color: 'black',
      });
      expect(explicit).toMatchObject({
        time_control: '1+0',
        mode: 'casual',
        variant: 'chess960',
        preferred_color: 'black',
      });
      expect(explicit.challenger.rating).toBe(1500);
    });

    it('refuses a self challenge with SELF_CHALLENGE and bad input with INVALID_REQUEST, never 500', async () => {
      const tenant = newTenant();
      const self = await t
        .http()
        .post(`${api}/challenges`)
        .set(as(tenant, 'cal'))
        .send({ opponent_user_id: 'cal', time_control: '5+0' });
      expectProblem(self, 400, 'SELF_CHALLENGE');

      const bad: [object, string][] = [
        [{ opponent_user_id: 'dee', time_control: '0+0' }, 'time_control'],
        [{ opponent_user_id: 'dee', time_control: '181+0' }, 'time_control'],
        [{ opponent_user_id: 'dee', time_control: 5 }, 'time_control'],
        [{ opponent_user_id: 'dee' }, 'time_control'],
        [{ opponent_user_id: 'dee', time_control: '5+0', mode: 'ranked' }, 'mode'],
        [{ opponent_user_id: 'dee', time_control: '5+0', variant: 'atomic' }, 'variant'],
        [{ opponent_user_id: 'dee', time_control: '5+0', variant: 'Standard!' }, 'variant'],
        [{ opponent_user_id: 'dee', time_control: '5+0', preferred_color: 'green' }, 'preferred_color'],
        [{ opponent_user_id: 'x'.repeat(65), time_control: '5+0' }, 'opponent_user_id'],
        [{ opponent_user_id: 'has space', time_control: '5+0' }, 'opponent_user_id'],
        [{ opponent_user_id: '', time_control: '5+0' }, 'opponent_user_id'],
        [{ opponent_user_id: 42, time_control: '5+0' }, 'opponent_user_id'],
        [{ time_control: '5+0' }, 'opponent_user_id'],
        [{ opponent_user_id: 'dee', time_control: '5+0', region: 'EU' }, 'region'],
      ];
      for (const [body, field] of bad) {
        const res = await t.http().post(`${api}/challenges`).set(as(tenant, 'cal')).send(body);
        expectProblem(res, 400, 'INVALID_REQUEST');
        expect(res.body.errors.map((e: any) => e.field)).toContain(field);
      }
      const notJson = await t
        .http()
        .post(`${api}/challenges`)
        .set(as(tenant, 'cal'))
        .set('content-type', 'application/json')
        .send('{"opponent_user_id":');
      expectProblem(notJson, 400, 'INVALID_REQUEST');
      const array = await t.http().post(`${api}/challenges`).set(as(tenant, 'cal')).send([1, 2]);
      expectProblem(array, 400, 'INVALID_REQUEST');
      const anonymous = await t.http().post(`${api}/challenges`).send({ opponent_user_id: 'dee', time_control: '5+0' });
      expectProblem(anonymous, 401, 'UNAUTHORIZED');
      expect(await list(tenant, 'cal', 'outgoing')).toEqual([]);
    });

    it('replaces the previous pending challenge to the same opponent, atomically', async () => {
      const tenant = newTenant();
      const first = await challenge(tenant, 'eli', 'fay', { time_control: '3+0' });
      const toOther = await challenge(tenant, 'eli', 'gil');
      const second = await challenge(tenant, 'eli', 'fay', { time_control: '10+0' });
      expect((await get(tenant, 'eli', first.challenge_id)).body.status).toBe('CANCELLED');
      expect((await get(tenant, 'eli', toOther.challenge_id)).body.status).toBe('PENDING');
      expect((await list(tenant, 'fay', 'incoming')).map((c) => c.challenge_id)).toEqual([second.challenge_id]);
      expect((await list(tenant, 'eli', 'outgoing')).map((c) => c.challenge_id)).toEqual([
        second.challenge_id,
        toOther.challenge_id,
      ]);

      const racing = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t
            .http()
            .post(`${api}/challenges`)
            .set(as(tenant, 'eli'))
            .send({ opponent_user_id: 'fay', time_control: `${i + 1}+0` }),
        ),
      );
      expect(racing.map((r) => r.status)).toEqual(Array(6).fill(201));
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM challenges WHERE tenant_id = $1 AND challenger_user_id = 'eli' AND opponent_user_id = 'fay' AND status = 'PENDING'`,
        [tenant],
      );
      expect(n).toBe(1);
      expect(await list(tenant, 'fay', 'incoming')).toHaveLength(1);
    });
  });

  describe('reading', () => {
    it('shows a challenge to its two players only; others, other tenants and malformed ids get 404', async () => {
      const tenant = newTenant();
      const c = await challenge(tenant, 'hal', 'ivy');
      expect((await get(tenant, 'hal', c.challenge_id)).body).toEqual(c);
      expect((await get(tenant, 'ivy', c.challenge_id)).body).toEqual(c);
      expectProblem(await get(tenant, 'jon', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await get(newTenant(), 'ivy', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await get(newTenant(), 'hal', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await get(tenant, 'hal', 'c_doesnotexist'), 404, 'NOT_FOUND');
      expectProblem(await get(tenant, 'hal', 'bad%20id!'), 404, 'NOT_FOUND');
      expectProblem(await accept(newTenant(), 'ivy', c.challenge_id), 404, 'NOT_FOUND');
    });

    it('lists pending, unexpired challenges newest first with the challenger’s rating in the category', async () => {
      const tenant = newTenant();
      await setRating(tenant, 'kai', 'rapid', 1710);
      await setRating(tenant, 'kai', 'blitz', 1333);
      const fromKai = await challenge(tenant, 'kai', 'zed', { time_control: '10+0' });
      await sleep(20);
      const fromLee = await challenge(tenant, 'lee', 'zed', { time_control: '10+0' });
      await sleep(20);
      const fromMay = await challenge(tenant, 'may', 'zed', { time_control: '10+0' });
      await sleep(20);
      const declined = await challenge(tenant, 'ned', 'zed');
      await decline(tenant, 'zed', declined.challenge_id).expect(200);
      const withdrawn = await challenge(tenant, 'oli', 'zed');
      await withdraw(tenant, 'oli', withdrawn.challenge_id).expect(200);
      const overdue = await challenge(tenant, 'pia', 'zed');
      await t.db.query(`UPDATE challenges SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        overdue.challenge_id,
      ]);
      await challenge(tenant, 'kai', 'someone-else');
      await challenge(newTenant(), 'kai', 'zed');

      const incoming = await list(tenant, 'zed', 'incoming');
      expect(incoming.map((c) => c.challenge_id)).toEqual([
        fromMay.challenge_id,
        fromLee.challenge_id,
        fromKai.challenge_id,
      ]);
      expect(incoming[2]).toEqual({ ...fromKai, challenger: { user_id: 'kai', username: 'KAI', rating: 1710 } });
      expect(incoming[1].challenger).toEqual({ user_id: 'lee', username: 'LEE', rating: 1500 });
      expect(await list(tenant, 'zed', 'outgoing')).toEqual([]);
      const outgoing = await list(tenant, 'kai', 'outgoing');
      expect(outgoing.map((c) => c.opponent_user_id)).toEqual(['someone-else', 'zed']);
      expect(outgoing.every((c) => c.status === 'PENDING')).toBe(true);
      expect((await get(tenant, 'pia', overdue.challenge_id)).body.status).toBe('EXPIRED');
    });
  });

  describe('accepting', () => {
    it('creates exactly one game with the challenger’s colour, cancels both queue entries and shows the match as active', async () => {
      const tenant = newTenant();
      await setRating(tenant, 'ava', 'blitz', 1580);
      await setRating(tenant, 'ben', 'blitz', 1440);
      const qa = await join(tenant, 'ava', '15+10');
      const qb = await join(tenant, 'ben', '1+0');
      const c = await challenge(tenant, 'ava', 'ben', { time_control: '3+2', preferred_color: 'black' });
      const res = await accept(tenant, 'ben', c.challenge_id).set('x-request-id', `accept-${tenant}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...c,
        status: 'ACCEPTED',
        challenger: { user_id: 'ava', username: 'AVA', rating: 1580 },
        match_id: expect.stringMatching(/^m_/),
        game_id: expect.any(String),
      });
      const matchId = res.body.match_id;

      const requests = await stub.requests(matchId);
      expect(requests).toHaveLength(1);
      expect(requests[0].idempotency_key).toBe(matchId);
      expect(requests[0].body).toEqual({
        match_id: matchId,
        tenant_id: tenant,
        white_player_id: 'ben',
        black_player_id: 'ava',
        time_control: '3+2',
        mode: 'rated',
        variant: 'standard',
        rating_snapshot: { white: 1440, black: 1580 },
        metadata: { matchmaking_source: 'challenge', region: null },
      });
      expect((await stub.games()).filter((g) => g.tenant_id === tenant).map((g) => g.game_id)).toEqual([
        res.body.game_id,
      ]);

      const [match] = await t.db.query(`SELECT * FROM matches WHERE id = $1`, [matchId]);
      expect(match).toMatchObject({
        tenant_id: tenant,
        source: 'challenge',
        status: 'CREATED',
        challenge_id: c.challenge_id,
        pool_key: 'standard_3+2_rated',
        category: 'blitz',
        white_user_id: 'ben',
        black_user_id: 'ava',
        white_username: 'BEN',
        black_username: 'AVA',
        white_rating: 1440,
        black_rating: 1580,
        rating_gap: 140,
        white_entry_id: null,
        black_entry_id: null,
        white_wait_ms: 0,
        black_wait_ms: 0,
        region: null,
        game_id: res.body.game_id,
        request_id: `accept-${tenant}`,
      });

      for (const [user, entry] of [
        ['ava', qa],
        ['ben', qb],
      ] as const) {
        const e = await t.http().get(`${api}/queue/${entry.queue_entry_id}`).set(as(tenant, user));
        expect(e.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'challenge_accepted', match_id: null });
      }
      const active = await t.http().get(`${api}/active`).set(as(tenant, 'ava'));
      expect(active.body).toEqual({
        queue_entry: null,
        match: {
          match_id: matchId,
          game_id: res.body.game_id,
          time_control: '3+2',
          mode: 'rated',
          variant: 'standard',
          color: 'black',
          opponent: { user_id: 'ben', username: 'BEN', rating: 1440 },
        },
      });
      expect((await get(tenant, 'ava', c.challenge_id)).body).toEqual(res.body);

      expectProblem(await accept(tenant, 'ben', c.challenge_id), 409, 'INVALID_STATE');
      expectProblem(await decline(tenant, 'ben', c.challenge_id), 409, 'INVALID_STATE');
      expectProblem(await withdraw(tenant, 'ava', c.challenge_id), 409, 'INVALID_STATE');
      expect(await stub.requests(matchId)).toHaveLength(1);
    });

    it('gives white to a challenger who prefers it, and follows the colour-balance rule for random', async () => {
      const tenant = newTenant();
      const finish = (matchId: string) =>
        t.db.query(`UPDATE matches SET result = 'draw', result_at = now() WHERE id = $1`, [matchId]);
      for (let i = 0; i < 3; i++) {
        const white = await challenge(tenant, 'cy', `di${i}`, { preferred_color: 'white' });
        const a = await acceptWithGame(tenant, `di${i}`, white.challenge_id);
        const [req] = await stub.requests(a.match_id);
        expect(req.body).toMatchObject({
          white_player_id: 'cy',
          black_player_id: `di${i}`,
          metadata: { matchmaking_source: 'challenge' },
        });
        await finish(a.match_id);
      }
      // cy's white share (3/3, 3/4, 3/5) stays above a newcomer's even 0.5, so random gives the newcomer white each time.
      for (let i = 0; i < 3; i++) {
        const random = await challenge(tenant, 'cy', `ed${i}`);
        const b = await acceptWithGame(tenant, `ed${i}`, random.challenge_id);
        const [req] = await stub.requests(b.match_id);
        expect(req.body).toMatchObject({ white_player_id: `ed${i}`, black_player_id: 'cy' });
        await finish(b.match_id);
      }
    });

    it('lets only the opponent accept: the challenger gets 403, anyone else 404', async () => {
      const tenant = newTenant();
      const c = await challenge(tenant, 'fox', 'gus');
      expectProblem(await accept(tenant, 'fox', c.challenge_id), 403, 'FORBIDDEN');
      expectProblem(await accept(tenant, 'hub', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await accept(tenant, 'gus', 'c_unknown'), 404, 'NOT_FOUND');
      expect((await get(tenant, 'gus', c.challenge_id)).body.status).toBe('PENDING');
      expect(await t.db.query(`SELECT id FROM matches WHERE tenant_id = $1`, [tenant])).toEqual([]);
    });

    it('refuses with CANNOT_ACCEPT while either player has an unfinished game, after checking the state first', async () => {
      const tenant = newTenant();
      const first = await challenge(tenant, 'ida', 'jay');
      await acceptWithGame(tenant, 'jay', first.challenge_id);

      const toBusyOpponent = await challenge(tenant, 'kit', 'jay');
      const busyOpponent = await accept(tenant, 'jay', toBusyOpponent.challenge_id);
      expectProblem(busyOpponent, 409, 'CANNOT_ACCEPT');
      const fromBusyChallenger = await challenge(tenant, 'ida', 'lex');
      const q = await join(tenant, 'lex', '5+0');
      expectProblem(await accept(tenant, 'lex', fromBusyChallenger.challenge_id), 409, 'CANNOT_ACCEPT');
      // Nothing of the refused accepts stays behind: still pending, the queue entry still searching, no match.
      expect((await get(tenant, 'jay', toBusyOpponent.challenge_id)).body.status).toBe('PENDING');
      expect((await get(tenant, 'lex', fromBusyChallenger.challenge_id)).body.status).toBe('PENDING');
      expect((await t.http().get(`${api}/queue/${q.queue_entry_id}`).set(as(tenant, 'lex'))).body.status).toBe(
        'SEARCHING',
      );
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM matches WHERE tenant_id = $1`, [tenant]);
      expect(n).toBe(1);

      await decline(tenant, 'jay', toBusyOpponent.challenge_id, { reason: 'later' }).expect(200);
      expectProblem(await accept(tenant, 'jay', toBusyOpponent.challenge_id), 409, 'INVALID_STATE');
    });

    it('turns eight simultaneous accepts into one 200, seven INVALID_STATE and one game', async () => {
      const tenant = newTenant();
      const c = await challenge(tenant, 'max', 'nia');
      const results = await Promise.all(Array.from({ length: 8 }, () => accept(tenant, 'nia', c.challenge_id)));
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(7);
      for (const r of refused) expectProblem(r, 409, 'INVALID_STATE');
      expect(ok[0].body.status).toBe('ACCEPTED');
      await sleep(300);
      const matches = await t.db.query(`SELECT id FROM matches WHERE tenant_id = $1`, [tenant]);
      expect(matches).toEqual([{ id: ok[0].body.match_id }]);
      expect(await stub.requests(ok[0].body.match_id)).toHaveLength(1);
      expect((await stub.games()).filter((g) => g.tenant_id === tenant)).toHaveLength(1);
    });

    it('waits for a game created by a worker in another process', async () => {
      const apiOnly = await startApp({ ROLE: 'api', ACCEPT_WAIT_MS: '5000' }, t.storage);
      try {
        const tenant = newTenant();
        const created = await apiOnly
          .http()
          .post(`${api}/challenges`)
          .set(as(tenant, 'rob'))
          .send({ opponent_user_id: 'sam', time_control: '5+0' });
        expect(created.status).toBe(201);
        const res = await apiOnly
          .http()
          .post(`${api}/challenges/${created.body.challenge_id}/accept`)
          .set(as(tenant, 'sam'));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'ACCEPTED', game_id: expect.any(String) });
        expect((await stub.requests(res.body.match_id)).map((r) => r.game_id)).toEqual([res.body.game_id]);
      } finally {
        await apiOnly.close();
      }
    });

    it('answers ACCEPTED without a game id after ACCEPT_WAIT_MS when the live-game API is slow, and shows it later', async () => {
      await stub.control({ latency_ms: 3500 });
      const tenant = newTenant();
      const c = await challenge(tenant, 'oz', 'pam');
      const started = Date.now();
      const res = await accept(tenant, 'pam', c.challenge_id);
      const elapsed = Date.now() - started;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ACCEPTED', match_id: expect.stringMatching(/^m_/), game_id: null });
      expect(elapsed).toBeGreaterThanOrEqual(ACCEPT_WAIT_MS - 100);
      expect(elapsed).toBeLessThan(3000);
      const later = await waitFor(async () => {
        const g = await get(tenant, 'oz', c.challenge_id);
        return g.body.game_id && g.body;
      }, 8000);
      expect(later.status).toBe('ACCEPTED');
      const [stored] = await t.db.query(`SELECT status, game_id, match_id FROM challenges WHERE id = $1`, [
        c.challenge_id,
      ]);
      expect(stored).toEqual({ status: 'ACCEPTED', game_id: later.game_id, match_id: res.body.match_id });
      expect(await stub.requests(res.body.match_id)).toHaveLength(1);
    });

    it('answers FAILED when game creation fails for good within the wait, and frees both players', async () => {
      await stub.control({ failure_rate: 1, failure_status: 500 });
      const tenant = newTenant();
      const c = await challenge(tenant, 'quin', 'rae');
      const res = await accept(tenant, 'rae', c.challenge_id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'FAILED', game_id: null, match_id: expect.stringMatching(/^m_/) });
      expect((await stub.requests(res.body.match_id)).map((r) => r.status_returned)).toEqual([500, 500]);
      const [stored] = await t.db.query(`SELECT status FROM challenges WHERE id = $1`, [c.challenge_id]);
      expect(stored.status).toBe('FAILED');
      expect((await get(tenant, 'quin', c.challenge_id)).body.status).toBe('FAILED');

      await stub.control({ failure_rate: 0 });
      const again = await challenge(tenant, 'quin', 'rae');
      await acceptWithGame(tenant, 'rae', again.challenge_id);
    });
  });

  describe('declining and withdrawing', () => {
    it('declines with a reason (generic by default); refuses unknown reasons, the challenger and strangers', async () => {
      const tenant = newTenant();
      const plain = await challenge(tenant, 'sue', 'tom');
      const res = await decline(tenant, 'tom', plain.challenge_id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...plain, status: 'DECLINED', decline_reason: 'generic' });
      expectProblem(await decline(tenant, 'tom', plain.challenge_id, { reason: 'later' }), 409, 'INVALID_STATE');

      for (const reason of ['generic', 'later', 'too_fast', 'too_slow', 'time_control', 'rated', 'casual', 'variant']) {
        const c = await challenge(tenant, 'sue', 'tom');
        const r = await decline(tenant, 'tom', c.challenge_id, { reason });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ status: 'DECLINED', decline_reason: reason });
      }

      const c = await challenge(tenant, 'sue', 'tom');
      for (const body of [{ reason: 'boring' }, { reason: 3 }, { reason: 'later', note: 'x' }]) {
        const r = await decline(tenant, 'tom', c.challenge_id, body);
        expectProblem(r, 400, 'INVALID_REQUEST');
      }
      expectProblem(await decline(tenant, 'sue', c.challenge_id), 403, 'FORBIDDEN');
      expectProblem(await decline(tenant, 'uma', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await decline(newTenant(), 'tom', c.challenge_id), 404, 'NOT_FOUND');
      expect((await get(tenant, 'tom', c.challenge_id)).body.status).toBe('PENDING');
    });

    it('lets the challenger withdraw; the opponent gets 403, others 404, a second withdraw 409', async () => {
      const tenant = newTenant();
      const c = await challenge(tenant, 'vi', 'wu');
      expectProblem(await withdraw(tenant, 'wu', c.challenge_id), 403, 'FORBIDDEN');
      expectProblem(await withdraw(tenant, 'xi', c.challenge_id), 404, 'NOT_FOUND');
      expectProblem(await withdraw(newTenant(), 'vi', c.challenge_id), 404, 'NOT_FOUND');
      const res = await withdraw(tenant, 'vi', c.challenge_id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...c, status: 'CANCELLED' });
      expectProblem(await withdraw(tenant, 'vi', c.challenge_id), 409, 'INVALID_STATE');
      expectProblem(await accept(tenant, 'wu', c.challenge_id), 409, 'INVALID_STATE');
      expect(await list(tenant, 'wu', 'incoming')).toEqual([]);
    });
  });

  it('documents every challenge route in OpenAPI with schemas, problems and bearer security', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const base = '/v1/matchmaking/challenges';
    const ops: [string, string, string[]][] = [
      [base, 'post', ['201', '400', '401']],
      [`${base}/incoming`, 'get', ['200', '401']],
      [`${base}/outgoing`, 'get', ['200', '401']],
      [`${base}/{id}`, 'get', ['200', '404']],
      [`${base}/{id}/accept`, 'post', ['200', '403', '404', '409']],
      [`${base}/{id}/decline`, 'post', ['200', '400', '403', '404', '409']],
      [`${base}/{id}`, 'delete', ['200', '403', '404', '409']],
    ];
    for (const [path, method, statuses] of ops) {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      expect(op.security).toEqual([{ bearer: [] }]);
      for (const s of statuses) expect(op.responses[s]).toBeDefined();
    }
    expect(doc.paths[base].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreateChallengeRequest',
    );
    expect(doc.paths[`${base}/incoming`].get.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/ChallengeDto' },
    });
    expect(Object.keys(doc.components.schemas.ChallengeDto.properties).sort()).toEqual([
      'challenge_id',
      'challenger',
      'challenger_user_id',
      'created_at',
      'decline_reason',
      'expires_at',
      'game_id',
      'match_id',
      'mode',
      'opponent_user_id',
      'preferred_color',
      'status',
      'time_control',
      'variant',
    ]);
    expect(doc.components.schemas.DeclineChallengeRequest.properties.reason.enum).toEqual([
      'generic',
      'later',
      'too_fast',
      'too_slow',
      'time_control',
      'rated',
      'casual',
      'variant',
    ]);
  });
});

describe('challenge expiry', () => {
  it('the sweep marks overdue PENDING challenges EXPIRED', async () => {
    const t = await startApp({ CHALLENGE_TTL_SECONDS: '1', TIMEOUT_SWEEP_MS: '200' });
    try {
      const tenant = newTenant();
      const res = await t
        .http()
        .post('/v1/matchmaking/challenges')
        .set(bearer('yan', { tenant_id: tenant }))
        .send({ opponent_user_id: 'zoe', time_control: '5+0' });
      expect(res.status).toBe(201);
      expect(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)).toBe(1000);
      const id = res.body.challenge_id;
      await waitFor(async () => {
        const [row] = await t.db.query(`SELECT status, ended_at FROM challenges WHERE id = $1`, [id]);
        return row.status === 'EXPIRED' && row.ended_at;
      }, 8000);
      const seen = await t
        .http()
        .get(`/v1/matchmaking/challenges/${id}`)
        .set(bearer('zoe', { tenant_id: tenant }));
      expect(seen.body.status).toBe('EXPIRED');
      const late = await t
        .http()
        .post(`/v1/matchmaking/challenges/${id}/accept`)
        .set(bearer('zoe', { tenant_id: tenant }));
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('INVALID_STATE');
    } finally {
      await t.close();
    }
  });

  it('accept checks expires_at itself, before any sweep has run', async () => {
    const stub = await Stub.start();
    const t = await startApp({
      CHALLENGE_TTL_SECONDS: '1',
      TIMEOUT_SWEEP_MS: '3600000',
      LIVE_GAME_API_URL: stub.url,
      LIVE_GAME_API_TOKEN: STUB_TOKEN,
    });
    try {
      const tenant = newTenant();
      const res = await t
        .http()
        .post('/v1/matchmaking/challenges')
        .set(bearer('amy', { tenant_id: tenant }))
        .send({ opponent_user_id: 'bo', time_control: '5+0' });
      expect(res.status).toBe(201);
      const id = res.body.challenge_id;
      await sleep(1300);
      const [row] = await t.db.query(`SELECT status FROM challenges WHERE id = $1`, [id]);
      expect(row.status).toBe('PENDING');
      const late = await t
        .http()
        .post(`/v1/matchmaking/challenges/${id}/accept`)
        .set(bearer('bo', { tenant_id: tenant }));
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('INVALID_STATE');
      const declineLate = await t
        .http()
        .post(`/v1/matchmaking/challenges/${id}/decline`)
        .set(bearer('bo', { tenant_id: tenant }));
      expect(declineLate.status).toBe(409);
      expect(declineLate.body.code).toBe('INVALID_STATE');
      expect(
        (
          await t
            .http()
            .get('/v1/matchmaking/challenges/incoming')
            .set(bearer('bo', { tenant_id: tenant }))
        ).body,
      ).toEqual([]);
      expect(await t.db.query(`SELECT id FROM matches WHERE tenant_id = $1`, [tenant])).toEqual([]);
      expect(await stub.requests()).toEqual([]);
    } finally {
      await t.close();
      await stub.close();
    }
  });
});
