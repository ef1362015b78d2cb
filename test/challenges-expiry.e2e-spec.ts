import { CHALLENGES, challengeApi, playerAuth } from './support/api';
import { Stub, STUB_TOKEN } from './support/stub';
import { sleep, startApp, tenantIds, waitFor } from './support/test-app';

const newTenant = tenantIds('c');

describe('challenge expiry', () => {
  it('the sweep marks overdue PENDING challenges EXPIRED', async () => {
    const t = await startApp({ CHALLENGE_TTL_SECONDS: '1', TIMEOUT_SWEEP_MS: '200' });
    const { challenge, get, accept } = challengeApi(() => t);
    try {
      const tenant = newTenant();
      const created = await challenge(tenant, 'yan', 'zoe');
      expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(1000);
      const id = created.challenge_id;
      await waitFor(async () => {
        const [row] = await t.db.query(`SELECT status, ended_at FROM challenges WHERE id = $1`, [id]);
        return row.status === 'EXPIRED' && row.ended_at;
      }, 8000);
      const seen = await get(tenant, 'zoe', id);
      expect(seen.body.status).toBe('EXPIRED');
      const late = await accept(tenant, 'zoe', id);
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
    const { challenge, accept, decline } = challengeApi(() => t);
    try {
      const tenant = newTenant();
      const id = (await challenge(tenant, 'amy', 'bo')).challenge_id;
      await sleep(1300);
      const [row] = await t.db.query(`SELECT status FROM challenges WHERE id = $1`, [id]);
      expect(row.status).toBe('PENDING');
      const late = await accept(tenant, 'bo', id);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('INVALID_STATE');
      const declineLate = await decline(tenant, 'bo', id);
      expect(declineLate.status).toBe(409);
      expect(declineLate.body.code).toBe('INVALID_STATE');
      const incoming = await t.http().get(`${CHALLENGES}/incoming`).set(playerAuth(tenant, 'bo'));
      expect(incoming.body).toEqual([]);
      expect(await t.db.query(`SELECT id FROM matches WHERE tenant_id = $1`, [tenant])).toEqual([]);
      expect(await stub.requests()).toEqual([]);
    } finally {
      await t.close();
      await stub.close();
    }
  });
});
