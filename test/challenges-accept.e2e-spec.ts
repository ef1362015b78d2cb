import { MatchesRepository } from '../apps/matchmaking/src/matches/matches.repository';
import { ACTIVE, expectProblem, QUEUE } from './support/api';
import { insertMatch, useChallengeService } from './support/fixtures';
import { Stub } from './support/stub';
import { sleep, tenantIds, TestApp } from './support/test-app';

/** Every test uses a tenant of its own, so challenges, games and colour histories never mix. */
const newTenant = tenantIds('c');

describe('direct challenges', () => {
  let stub: Stub;
  let t: TestApp;
  const { as, join, setRating, challenge, get, accept, decline, withdraw, acceptWithGame } = useChallengeService(
    (started) => ({ stub, t } = started),
  );

  describe('accepting', () => {
    it('creates exactly one game with the challenger’s colour, cancels both queue entries and shows the match as active', async () => {
      const tenant = newTenant();
      await setRating(tenant, 'ava', 'blitz', 1580);
      await setRating(tenant, 'ben', 'blitz', 1440);
      const qa = await join(tenant, 'ava', { time_control: '15+10' });
      const qb = await join(tenant, 'ben', { time_control: '1+0' });
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
        const e = await t.http().get(`${QUEUE}/${entry.queue_entry_id}`).set(as(tenant, user));
        expect(e.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'challenge_accepted', match_id: null });
      }
      const active = await t.http().get(ACTIVE).set(as(tenant, 'ava'));
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

    it('weighs colours over the last 20 games that did not fail, in the tenant only', async () => {
      const tenant = newTenant();
      const game = (white: string, black: string, createdAgoSeconds: number, status?: 'FAILED') =>
        insertMatch(t.db, { tenant, white, black, createdAgoSeconds, status });
      for (let i = 0; i < 5; i++) await game('ivy', `old${i}`, 100 - i); // white, but more than 20 games ago
      for (let i = 0; i < 18; i++) await game(`mid${i}`, 'ivy', 50 - i);
      for (let i = 0; i < 2; i++) await game('ivy', `new${i}`, 10 - i);
      for (let i = 0; i < 3; i++) await game('ivy', `bad${i}`, 1, 'FAILED');
      await insertMatch(t.db, { tenant: newTenant(), white: 'ivy', black: 'elsewhere' });
      const history = await t.app.get(MatchesRepository).colorHistory(tenant, ['ivy', 'mid0', 'nobody']);
      expect(Object.fromEntries(history)).toEqual({ ivy: { whites: 2, games: 20 }, mid0: { whites: 1, games: 1 } });
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
      const q = await join(tenant, 'lex', { time_control: '5+0' });
      expectProblem(await accept(tenant, 'lex', fromBusyChallenger.challenge_id), 409, 'CANNOT_ACCEPT');
      // Nothing of the refused accepts stays behind: still pending, the queue entry still searching, no match.
      expect((await get(tenant, 'jay', toBusyOpponent.challenge_id)).body.status).toBe('PENDING');
      expect((await get(tenant, 'lex', fromBusyChallenger.challenge_id)).body.status).toBe('PENDING');
      expect((await t.http().get(`${QUEUE}/${q.queue_entry_id}`).set(as(tenant, 'lex'))).body.status).toBe('SEARCHING');
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
  });
});
