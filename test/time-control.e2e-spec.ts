import { bearer, tenantIds, TestApp, waitFor } from './support/test-app';
import { startWithStub, Stub } from './support/stub';

const newTenant = tenantIds('tc');

describe('canonical time controls', () => {
  let stub: Stub;
  let t: TestApp;
  beforeAll(async () => {
    ({ stub, t } = await startWithStub());
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('stores, shows and sends "03+2" as "3+2", sharing the pool of "3+2"', async () => {
    const tenant = newTenant();
    const as = (user: string) => bearer(user, { tenant_id: tenant });
    const first = await t.http().post('/v1/matchmaking/queue').set(as('ada')).send({ time_control: '03+2' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ time_control: '3+2', pool_key: 'standard_3+2_rated' });
    const [row] = await t.db.query(`SELECT time_control FROM queue_entries WHERE id = $1`, [first.body.queue_entry_id]);
    expect(row.time_control).toBe('3+2');
    await t.http().post('/v1/matchmaking/queue').set(as('bob')).send({ time_control: '3+002' }).expect(201);
    const matched = await waitFor(async () => {
      const res = await t.http().get(`/v1/matchmaking/queue/${first.body.queue_entry_id}`).set(as('ada'));
      return res.body.status === 'MATCHED' && res.body;
    });
    expect(matched.time_control).toBe('3+2');
    const [sent] = await stub.requests(matched.match_id);
    expect(sent.body.time_control).toBe('3+2');
  });

  it('does the same for challenges', async () => {
    const tenant = newTenant();
    const as = (user: string) => bearer(user, { tenant_id: tenant });
    const created = await t
      .http()
      .post('/v1/matchmaking/challenges')
      .set(as('cy'))
      .send({ opponent_user_id: 'di', time_control: '010+00' });
    expect(created.status).toBe(201);
    expect(created.body.time_control).toBe('10+0');
    const accepted = await t
      .http()
      .post(`/v1/matchmaking/challenges/${created.body.challenge_id}/accept`)
      .set(as('di'));
    expect(accepted.status).toBe(200);
    expect(accepted.body.time_control).toBe('10+0');
    const [sent] = await waitFor(async () => {
      const requests = await stub.requests(accepted.body.match_id);
      return requests.length > 0 && requests;
    });
    expect(sent.body.time_control).toBe('10+0');
  });
});
