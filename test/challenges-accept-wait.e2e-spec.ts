import { challengeApi } from './support/api';
import { ACCEPT_WAIT_MS, useChallengeService } from './support/fixtures';
import { Stub } from './support/stub';
import { startApp, tenantIds, TestApp, waitFor } from './support/test-app';

/** Every test uses a tenant of its own, so challenges, games and colour histories never mix. */
const newTenant = tenantIds('c');

describe('direct challenges', () => {
  let stub: Stub;
  let t: TestApp;
  const { challenge, get, accept, acceptWithGame } = useChallengeService((started) => ({ stub, t } = started));

  describe('accepting', () => {
    it('waits for a game created by a worker in another process', async () => {
      const apiOnly = await startApp({ ROLE: 'api', ACCEPT_WAIT_MS: '5000' }, t.storage);
      const viaApiOnly = challengeApi(() => apiOnly, { named: true });
      try {
        const tenant = newTenant();
        const created = await viaApiOnly.challenge(tenant, 'rob', 'sam');
        const res = await viaApiOnly.accept(tenant, 'sam', created.challenge_id);
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
      // The row is synced from the match just after the game is recorded (reads take the match's id meanwhile).
      const stored = await waitFor(async () => {
        const [row] = await t.db.query(`SELECT status, game_id, match_id FROM challenges WHERE id = $1`, [
          c.challenge_id,
        ]);
        return row?.game_id && row;
      }, 2000);
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
});
