import { bearer, TestApp, useService, waitFor } from './support/test-app';

describe('queue timeouts', () => {
  let t: TestApp;
  useService({ QUEUE_TIMEOUT_SECONDS: '1', TIMEOUT_SWEEP_MS: '200' }, (started) => (t = started));

  it('turns a SEARCHING entry older than the timeout into TIMED_OUT', async () => {
    const joined = await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer('sleepy'))
      .send({ time_control: '30+0', region: 'NA' });
    expect(joined.status).toBe(201);
    expect(Date.parse(joined.body.expires_at) - Date.parse(joined.body.enqueued_at)).toBe(1000);
    const id = joined.body.queue_entry_id;
    const ended = await waitFor(async () => {
      const res = await t.http().get(`/v1/matchmaking/queue/${id}`).set(bearer('sleepy'));
      return res.body.status === 'TIMED_OUT' && res.body;
    }, 8000);
    expect(ended).toMatchObject({ status: 'TIMED_OUT', ended_reason: 'timeout', estimated_wait_seconds: 0 });
    const cancel = await t.http().delete(`/v1/matchmaking/queue/${id}`).set(bearer('sleepy'));
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('CANNOT_CANCEL');
    const rejoin = await t.http().post('/v1/matchmaking/queue').set(bearer('sleepy')).send({ time_control: '30+0' });
    expect(rejoin.status).toBe(201);
  });

  it('leaves cancelled entries alone', async () => {
    const joined = await t.http().post('/v1/matchmaking/queue').set(bearer('quitter')).send({ time_control: '30+0' });
    await t.http().delete(`/v1/matchmaking/queue/${joined.body.queue_entry_id}`).set(bearer('quitter')).expect(200);
    await new Promise((r) => setTimeout(r, 1800));
    const res = await t.http().get(`/v1/matchmaking/queue/${joined.body.queue_entry_id}`).set(bearer('quitter'));
    expect(res.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'user' });
  });
});
