import { CHALLENGES, expectProblem } from './support/api';
import { CHALLENGE_TTL_SECONDS, useChallengeService } from './support/fixtures';
import { sleep, tenantIds, TestApp } from './support/test-app';

/** Every test uses a tenant of its own, so challenges, games and colour histories never mix. */
const newTenant = tenantIds('c');

describe('direct challenges', () => {
  let t: TestApp;
  const { as, setRating, challenge, get, accept, decline, withdraw, list } = useChallengeService(
    (started) => ({ t } = started),
  );

  describe('creating', () => {
    it('answers 201 PENDING with the full shape, defaults and expires_at = now + TTL', async () => {
      const tenant = newTenant();
      await setRating(tenant, 'ann', 'blitz', 1620);
      const before = Date.now();
      const res = await t
        .http()
        .post(CHALLENGES)
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
      expect(Date.parse(res.body.expires_at) - created).toBe(CHALLENGE_TTL_SECONDS * 1000);

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
        .post(CHALLENGES)
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
        const res = await t.http().post(CHALLENGES).set(as(tenant, 'cal')).send(body);
        expectProblem(res, 400, 'INVALID_REQUEST');
        expect(res.body.errors.map((e: any) => e.field)).toContain(field);
      }
      const notJson = await t
        .http()
        .post(CHALLENGES)
        .set(as(tenant, 'cal'))
        .set('content-type', 'application/json')
        .send('{"opponent_user_id":');
      expectProblem(notJson, 400, 'INVALID_REQUEST');
      const array = await t.http().post(CHALLENGES).set(as(tenant, 'cal')).send([1, 2]);
      expectProblem(array, 400, 'INVALID_REQUEST');
      const anonymous = await t.http().post(CHALLENGES).send({ opponent_user_id: 'dee', time_control: '5+0' });
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
            .post(CHALLENGES)
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
});
