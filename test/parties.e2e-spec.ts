import { expectProblem } from './support/api';
import { insertMatch } from './support/fixtures';
import { memberIds, partyApi, storeRating } from './support/parties';
import { openEvents } from './support/sse';
import { tenantIds, TestApp, tokenFor, useService, waitFor } from './support/test-app';

const newTenant = tenantIds('pa');

describe('parties', () => {
  let t: TestApp;
  useService({ FORMATS: '1v1,2v2,3v3', PARTY_TTL_SECONDS: '3600' }, (started) => (t = started));
  const api = partyApi(() => t);

  it('creates an OPEN party with the caller as leader and only member, under an unguessable id', async () => {
    const tenant = newTenant();
    await storeRating(t.db, tenant, 'ann', 'team_blitz', 1640);
    const party = await api.create(tenant, 'ann');
    expect(party).toEqual({
      party_id: expect.stringMatching(/^p_[A-Za-z0-9_-]{16,}$/),
      leader_user_id: 'ann',
      format: '2v2',
      status: 'OPEN',
      members: [{ user_id: 'ann', username: 'ANN', rating: 1640, joined_at: expect.any(String) }],
      queue_entry_id: null,
      created_at: expect.any(String),
    });
    expect((await api.get(tenant, 'ann', party.party_id)).body).toEqual(party);
    expect((await api.current(tenant, 'ann')).body).toEqual(party);
  });

  it('answers null as the current party of a player without one', async () => {
    const res = await api.current(newTenant(), 'nobody');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.text).toBe('null');
  });

  it.each([
    [{ format: '1v1' }, 'format'],
    [{ format: '4v4' }, 'format'],
    [{ format: '2v3' }, 'format'],
    [{}, 'format'],
    [{ format: '2v2', size: 3 }, 'size'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await api.createRes(newTenant(), 'bea', body);
    expectProblem(res, 400, 'INVALID_REQUEST');
    expect(res.body.errors.map((e: any) => e.field)).toContain(field);
  });

  it('refuses a second live party to one player with ALREADY_IN_PARTY', async () => {
    const tenant = newTenant();
    const first = await api.create(tenant, 'cal');
    expectProblem(await api.createRes(tenant, 'cal'), 409, 'ALREADY_IN_PARTY');
    const other = await api.create(tenant, 'dee');
    expectProblem(await api.join(tenant, 'cal', other.party_id), 409, 'ALREADY_IN_PARTY');
    expectProblem(await api.join(tenant, 'cal', first.party_id), 409, 'ALREADY_IN_PARTY');
  });

  it('lets players join by id up to N members, then answers PARTY_FULL', async () => {
    const tenant = newTenant();
    const party = await api.create(tenant, 'eve');
    const joined = await api.join(tenant, 'fay', party.party_id);
    expect(joined.status).toBe(200);
    expect(memberIds(joined.body)).toEqual(['eve', 'fay']);
    expect((await api.get(tenant, 'fay', party.party_id)).body).toEqual(joined.body);
    expectProblem(await api.join(tenant, 'gus', party.party_id), 409, 'PARTY_FULL');
    expect((await api.current(tenant, 'gus')).text).toBe('null');
  });

  it('passes leadership to the longest-standing member and disbands when the last one leaves', async () => {
    const tenant = newTenant();
    const party = await api.form(tenant, 'hal', ['ida', 'jon'], '3v3');
    const afterLeader = await api.leave(tenant, 'hal', party.party_id);
    expect(afterLeader.status).toBe(200);
    expect(afterLeader.body).toMatchObject({ leader_user_id: 'ida', status: 'OPEN' });
    expect(memberIds(afterLeader.body)).toEqual(['ida', 'jon']);
    expectProblem(await api.get(tenant, 'hal', party.party_id), 404, 'NOT_FOUND');
    expectProblem(await api.leave(tenant, 'hal', party.party_id), 404, 'NOT_FOUND');
    expect((await api.leave(tenant, 'ida', party.party_id)).body).toMatchObject({ leader_user_id: 'jon' });
    const last = await api.leave(tenant, 'jon', party.party_id);
    expect(last.body).toMatchObject({ status: 'DISBANDED', members: [] });
    expectProblem(await api.get(tenant, 'jon', party.party_id), 404, 'NOT_FOUND');
    expectProblem(await api.join(tenant, 'kay', party.party_id), 409, 'INVALID_STATE');
    // Everyone is free again.
    expect((await api.createRes(tenant, 'hal')).status).toBe(201);
    expect((await api.createRes(tenant, 'jon')).status).toBe(201);
  });

  it('lets the leader remove a member; others get 403, a non-member 404', async () => {
    const tenant = newTenant();
    const party = await api.form(tenant, 'lea', ['max', 'ned'], '3v3');
    expectProblem(await api.remove(tenant, 'max', party.party_id, 'ned'), 403, 'FORBIDDEN');
    expectProblem(await api.remove(tenant, 'out', party.party_id, 'ned'), 404, 'NOT_FOUND');
    expectProblem(await api.remove(tenant, 'lea', party.party_id, 'out'), 404, 'NOT_FOUND');
    const removed = await api.remove(tenant, 'lea', party.party_id, 'ned');
    expect(removed.status).toBe(200);
    expect(memberIds(removed.body)).toEqual(['lea', 'max']);
    expectProblem(await api.get(tenant, 'ned', party.party_id), 404, 'NOT_FOUND');
    expect((await api.current(tenant, 'ned')).text).toBe('null');
    expect((await api.join(tenant, 'ned', party.party_id)).status).toBe(200);
  });

  it('hides a party from another tenant: 404 for every route', async () => {
    const tenant = newTenant();
    const party = await api.create(tenant, 'oli');
    const other = newTenant();
    expectProblem(await api.get(other, 'oli', party.party_id), 404, 'NOT_FOUND');
    expectProblem(await api.join(other, 'pam', party.party_id), 404, 'NOT_FOUND');
    expectProblem(await api.leave(other, 'oli', party.party_id), 404, 'NOT_FOUND');
    expectProblem(await api.remove(other, 'oli', party.party_id, 'oli'), 404, 'NOT_FOUND');
    expect((await api.current(other, 'oli')).text).toBe('null');
    expectProblem(await api.get(tenant, 'oli', 'p_doesNotExist'), 404, 'NOT_FOUND');
  });

  it('lets exactly one of 20 simultaneous joins into a party of 2', async () => {
    const tenant = newTenant();
    const party = await api.create(tenant, 'ray');
    const users = Array.from({ length: 20 }, (_, i) => `j${i}`);
    const results = await Promise.all(users.map((u) => api.join(tenant, u, party.party_id)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(19).fill('PARTY_FULL'));
    const [{ count, member_count }] = await t.db.query(
      `SELECT (SELECT count(*)::int FROM party_members WHERE party_id = $1 AND left_at IS NULL) AS count,
              (SELECT member_count FROM parties WHERE id = $1) AS member_count`,
      [party.party_id],
    );
    expect({ count, member_count }).toEqual({ count: 2, member_count: 2 });
  });

  it('lets a player be in one live party only, whatever the concurrency', async () => {
    const tenant = newTenant();
    const parties = await Promise.all(['sal', 'tom', 'uma', 'vic'].map((u) => api.create(tenant, u, '3v3')));
    const results = await Promise.all(parties.map((p) => api.join(tenant, 'wyn', p.party_id)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(3).fill('ALREADY_IN_PARTY'));
  });

  it('streams the party to its members, and ends the stream of a removed member', async () => {
    const tenant = newTenant();
    const party = await api.create(tenant, 'xia', '3v3');
    const stream = await openEvents(
      t.url,
      `/v1/parties/${party.party_id}/events`,
      tokenFor('xia', { tenant_id: tenant }),
    );
    expect(stream.status).toBe(200);
    await waitFor(() => stream.events.length >= 1, 3000);
    await api.join(tenant, 'yan', party.party_id);
    await waitFor(() => stream.events.some((e) => memberIds(e).includes('yan')), 3000);
    const yan = await openEvents(t.url, `/v1/parties/${party.party_id}/events`, tokenFor('yan', { tenant_id: tenant }));
    await waitFor(() => yan.events.length >= 1, 3000);
    await api.remove(tenant, 'xia', party.party_id, 'yan');
    await yan.ended;
    expect(memberIds(yan.events[yan.events.length - 1])).toEqual(['xia']);
    await waitFor(() => memberIds(stream.events[stream.events.length - 1]).length === 1, 3000);
    await api.leave(tenant, 'xia', party.party_id);
    await stream.ended;
    expect(stream.events[stream.events.length - 1].status).toBe('DISBANDED');
    const outsider = await openEvents(
      t.url,
      `/v1/parties/${party.party_id}/events`,
      tokenFor('zed', { tenant_id: tenant }),
    );
    expect(outsider.status).toBe(404);
    outsider.close();
  });
});

describe('idle parties', () => {
  let t: TestApp;
  useService({ PARTY_TTL_SECONDS: '1', TIMEOUT_SWEEP_MS: '200' }, (started) => (t = started));
  const api = partyApi(() => t);

  it('are disbanded after PARTY_TTL_SECONDS, unless a member’s game has no result yet', async () => {
    const tenant = newTenant();
    const idle = await api.form(tenant, 'ada', ['bo']);
    const playing = await api.create(tenant, 'cy');
    await insertMatch(t.db, { tenant, white: 'cy', black: 'dot', status: 'CREATED' });
    await waitFor(async () => (await api.current(tenant, 'ada')).text === 'null', 8000, 100);
    expect((await api.current(tenant, 'bo')).text).toBe('null');
    const [{ status }] = await t.db.query(`SELECT status FROM parties WHERE id = $1`, [idle.party_id]);
    expect(status).toBe('DISBANDED');
    expect((await api.get(tenant, 'cy', playing.party_id)).body.status).toBe('OPEN');
  });
});
