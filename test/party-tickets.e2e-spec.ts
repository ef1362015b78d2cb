import { Database } from '../libs/persistence/src';
import { PartiesRepository } from '../apps/matchmaking/src/parties/parties.repository';
import { ACTIVE, expectProblem, ONE_V_ONE_FIELDS, playerAuth, postJoin, QUEUE } from './support/api';
import { insertMatch } from './support/fixtures';
import { memberIds, partyApi, storeRating } from './support/parties';
import { openEvents } from './support/sse';
import { sleep, tenantIds, TestApp, tokenFor, useService, waitFor } from './support/test-app';

const newTenant = tenantIds('pt');

describe('party tickets', () => {
  let t: TestApp;
  useService(
    { FORMATS: '1v1,2v2,3v3', RATE_LIMIT_JOINS_PER_MINUTE: '1000', RATING_WINDOW_MAX: '2000' },
    (started) => (t = started),
  );
  const parties = partyApi(() => t);
  const as = (tenant: string, user: string) => playerAuth(tenant, user, { named: true });
  const join = (tenant: string, user: string, body: object) => postJoin(t, as(tenant, user), body);
  const queueParty = (tenant: string, leader: string, partyId: string, format = '2v2', tc = '3+0') =>
    join(tenant, leader, { time_control: tc, format, party_id: partyId });
  const entry = (tenant: string, user: string, id: string) => t.http().get(`${QUEUE}/${id}`).set(as(tenant, user));
  const active = async (tenant: string, user: string) =>
    (await t.http().get(ACTIVE).set(as(tenant, user))).body.queue_entry;

  it('answers a 1v1 entry in its old shape plus format', async () => {
    const res = await join(newTenant(), 'ann', { time_control: '7+0' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual([...ONE_V_ONE_FIELDS, 'format'].sort());
    expect(res.body).toMatchObject({ format: '1v1', pool_key: 'standard_7+0_rated' });
  });

  it('queues a player alone in a team format as a ticket of one, rated in the team category', async () => {
    const tenant = newTenant();
    await storeRating(t.db, tenant, 'bea', 'team_blitz', 1720);
    const res = await join(tenant, 'bea', { time_control: '3+0', format: '2v2' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user_id: 'bea',
      pool_key: 'standard_3+0_rated_2v2',
      format: '2v2',
      rating: 1720,
      party_id: null,
      members: [{ user_id: 'bea', username: 'BEA', rating: 1720 }],
    });
  });

  it.each([
    [{ time_control: '3+0', format: '4v4' }, 'format'],
    [{ time_control: '3+0', format: 'duo' }, 'format'],
    [{ time_control: '3+0', party_id: 'p_x' }, 'format'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await join(newTenant(), 'cal', body);
    expectProblem(res, 400, 'INVALID_REQUEST');
    expect(res.body.errors.map((e: any) => e.field)).toContain(field);
  });

  it('keeps challenges 1v1: another format is a 400', async () => {
    const tenant = newTenant();
    const challenge = (format: string) =>
      t
        .http()
        .post('/v1/matchmaking/challenges')
        .set(as(tenant, 'dee'))
        .send({ opponent_user_id: 'eve', time_control: '5+0', format });
    const res = await challenge('2v2');
    expectProblem(res, 400, 'INVALID_REQUEST');
    expect(res.body.errors.map((e: any) => e.field)).toEqual(['format']);
    expect((await challenge('1v1')).status).toBe(201);
  });

  it('lets only the leader queue the party, in the party’s format', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'fay', ['gus']);
    expectProblem(await queueParty(tenant, 'gus', party.party_id), 403, 'FORBIDDEN');
    expectProblem(await queueParty(tenant, 'out', party.party_id), 404, 'NOT_FOUND');
    const wrong = await queueParty(tenant, 'fay', party.party_id, '3v3');
    expectProblem(wrong, 400, 'INVALID_REQUEST');
    expect(wrong.body.errors).toEqual([{ field: 'format', message: 'must be the party’s format, 2v2' }]);
    expectProblem(await queueParty(newTenant(), 'fay', party.party_id), 404, 'NOT_FOUND');
  });

  it('makes one ticket for the party that every member reads, with the mean rating', async () => {
    const tenant = newTenant();
    await storeRating(t.db, tenant, 'hal', 'team_blitz', 1600);
    await storeRating(t.db, tenant, 'ida', 'team_blitz', 1701);
    const party = await parties.form(tenant, 'hal', ['ida']);
    const memberStream = await openEvents(t.url, `${QUEUE}/x/events`, tokenFor('ida', { tenant_id: tenant }));
    expect(memberStream.status).toBe(404);
    const res = await queueParty(tenant, 'hal', party.party_id);
    expect(res.status).toBe(201);
    const ticket = res.body;
    expect(ticket).toMatchObject({
      status: 'SEARCHING',
      user_id: 'hal',
      party_id: party.party_id,
      format: '2v2',
      rating: 1651,
      color: null,
      opponent: null,
      members: [
        { user_id: 'hal', username: 'HAL', rating: 1600 },
        { user_id: 'ida', username: 'IDA', rating: 1701 },
      ],
    });
    const { estimated_wait_seconds: _, ...stable } = ticket;
    // the leader owns the entry (the status read's own path), the member reads it through ticket_members
    expect((await entry(tenant, 'hal', ticket.queue_entry_id)).body).toMatchObject(stable);
    expect((await entry(tenant, 'ida', ticket.queue_entry_id)).body).toMatchObject(stable);
    expect(await active(tenant, 'ida')).toMatchObject(stable);
    expect(await active(tenant, 'hal')).toMatchObject(stable);
    expectProblem(await entry(tenant, 'jon', ticket.queue_entry_id), 404, 'NOT_FOUND');
    const seen = (await parties.get(tenant, 'ida', party.party_id)).body;
    expect(seen).toMatchObject({ status: 'QUEUED', queue_entry_id: ticket.queue_entry_id });
    expect(seen.members.map((m: any) => m.rating)).toEqual([1600, 1701]);
    const stream = await openEvents(
      t.url,
      `${QUEUE}/${ticket.queue_entry_id}/events`,
      tokenFor('ida', { tenant_id: tenant }),
    );
    await waitFor(() => stream.events.length >= 1, 3000);
    expect(stream.events[0]).toMatchObject({ queue_entry_id: ticket.queue_entry_id, status: 'SEARCHING' });
    expectProblem(await queueParty(tenant, 'hal', party.party_id), 409, 'ALREADY_IN_QUEUE');
    // Any member cancels it; the party is OPEN again and both streams say so.
    const partyStream = await openEvents(
      t.url,
      `/v1/parties/${party.party_id}/events`,
      tokenFor('hal', { tenant_id: tenant }),
    );
    const cancelled = await t.http().delete(`${QUEUE}/${ticket.queue_entry_id}`).set(as(tenant, 'ida'));
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', ended_reason: 'user' });
    await stream.ended;
    expect(stream.events[stream.events.length - 1].status).toBe('CANCELLED');
    await waitFor(() => partyStream.events.some((e) => e.status === 'OPEN' && e.queue_entry_id === null), 3000);
    partyStream.close();
    expect((await parties.get(tenant, 'hal', party.party_id)).body).toMatchObject({
      status: 'OPEN',
      queue_entry_id: null,
    });
    expect(await active(tenant, 'ida')).toBeNull();
    expect((await queueParty(tenant, 'hal', party.party_id)).status).toBe(201);
  });

  it('names the member who is in another queue or in a game', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'kay', ['lea']);
    const own = await join(tenant, 'lea', { time_control: '9+0' });
    const queued = await queueParty(tenant, 'kay', party.party_id);
    expectProblem(queued, 409, 'ALREADY_IN_QUEUE');
    expect(queued.body).toMatchObject({ user_id: 'lea', queue_entry_id: own.body.queue_entry_id });
    await t.http().delete(`${QUEUE}/${own.body.queue_entry_id}`).set(as(tenant, 'lea'));
    const { matchId } = await insertMatch(t.db, { tenant, white: 'zed', black: 'lea' });
    const playing = await queueParty(tenant, 'kay', party.party_id);
    expectProblem(playing, 409, 'ACTIVE_GAME_EXISTS');
    expect(playing.body).toMatchObject({ user_id: 'lea', match_id: matchId });
    expect((await parties.get(tenant, 'kay', party.party_id)).body.status).toBe('OPEN');
  });

  it('refuses other joins of a member of a queued party, and joining a party while queued', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'max', ['ned']);
    const ticket = (await queueParty(tenant, 'max', party.party_id)).body;
    for (const body of [{ time_control: '5+0' }, { time_control: '3+0', format: '2v2' }]) {
      const res = await join(tenant, 'ned', body);
      expectProblem(res, 409, 'ALREADY_IN_QUEUE');
      expect(res.body.queue_entry_id).toBe(ticket.queue_entry_id);
    }
    const other = await parties.create(tenant, 'oli');
    const solo = (await join(tenant, 'pam', { time_control: '5+0' })).body;
    const refused = await parties.join(tenant, 'pam', other.party_id);
    expectProblem(refused, 409, 'ALREADY_IN_QUEUE');
    expect(refused.body.queue_entry_id).toBe(solo.queue_entry_id);
    expectProblem(await parties.join(tenant, 'oli', party.party_id), 409, 'INVALID_STATE');
    const [{ open }] = await t.db.query(
      `SELECT count(*)::int AS open FROM ticket_members WHERE tenant_id = $1 AND user_id = 'ned' AND open`,
      [tenant],
    );
    expect(open).toBe(1);
  });

  it('cancels the ticket (party_changed) when a member leaves or is removed', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'ray', ['sal', 'tom'], '3v3');
    const ticket = (await queueParty(tenant, 'ray', party.party_id, '3v3')).body;
    const left = await parties.leave(tenant, 'tom', party.party_id);
    expect(left.body).toMatchObject({ status: 'OPEN', queue_entry_id: null });
    expect((await entry(tenant, 'sal', ticket.queue_entry_id)).body).toMatchObject({
      status: 'CANCELLED',
      ended_reason: 'party_changed',
    });
    const again = (await queueParty(tenant, 'ray', party.party_id, '3v3')).body;
    expect(memberIds(again)).toEqual(['ray', 'sal']);
    await parties.remove(tenant, 'ray', party.party_id, 'sal');
    expect((await entry(tenant, 'ray', again.queue_entry_id)).body.ended_reason).toBe('party_changed');
    expect(await active(tenant, 'sal')).toBeNull();
  });

  it('moves the party with its ticket’s status, and back to OPEN with its game’s result', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'uma', ['vic']);
    const ticket = (await queueParty(tenant, 'uma', party.party_id, '2v2', '30+0')).body;
    const status = async () => (await parties.get(tenant, 'uma', party.party_id)).body.status;
    const setEntry = (s: string) =>
      t.db.query(`UPDATE queue_entries SET status = $2 WHERE id = $1`, [ticket.queue_entry_id, s]);
    await setEntry('MATCHING');
    expect(await status()).toBe('IN_GAME');
    // A failed game puts the ticket back to SEARCHING: the party is QUEUED again.
    await setEntry('SEARCHING');
    expect(await status()).toBe('QUEUED');
    await setEntry('MATCHING');
    // A member leaving while the ticket is matched does not stop the game.
    await parties.leave(tenant, 'vic', party.party_id).expect(200);
    expect((await entry(tenant, 'uma', ticket.queue_entry_id)).body.status).toBe('MATCHING');
    expectProblem(await parties.join(tenant, 'vic', party.party_id), 409, 'INVALID_STATE');
    await setEntry('MATCHED');
    expect(await status()).toBe('IN_GAME');
    const reopened = await t.app.get(PartiesRepository).gameFinished(t.app.get(Database), [ticket.queue_entry_id]);
    expect(reopened).toEqual([party.party_id]);
    expect((await parties.get(tenant, 'uma', party.party_id)).body).toMatchObject({
      status: 'OPEN',
      queue_entry_id: null,
    });
    const [{ open }] = await t.db.query(`SELECT bool_or(open) AS open FROM ticket_members WHERE entry_id = $1`, [
      ticket.queue_entry_id,
    ]);
    expect(open).toBe(false);
  });

  it('never lets the 1v1 tick pair team tickets: three players are no 2v2', async () => {
    const tenant = newTenant();
    for (const u of ['w1', 'w2', 'w3']) {
      expect((await join(tenant, u, { time_control: '4+0', format: '2v2' })).status).toBe(201);
    }
    await sleep(1000);
    const rows = await t.db.query(`SELECT status, match_id FROM queue_entries WHERE tenant_id = $1`, [tenant]);
    expect(rows).toEqual(Array(3).fill({ status: 'SEARCHING', match_id: null }));
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM matches WHERE tenant_id = $1`, [tenant]);
    expect(count).toBe(0);
  });

  it('keeps every user in at most one open ticket under 20 concurrent overlapping joins', async () => {
    const tenant = newTenant();
    const p1 = await parties.form(tenant, 'a1', ['b1']);
    const p2 = await parties.form(tenant, 'c1', ['d1']);
    const attempts = [
      ...Array(4).fill(() => queueParty(tenant, 'a1', p1.party_id, '2v2', '6+0')),
      ...Array(4).fill(() => queueParty(tenant, 'c1', p2.party_id, '2v2', '6+0')),
      ...['b1', 'd1', 'b1', 'd1', 'b1', 'd1'].map((u) => () => join(tenant, u, { time_control: '6+0' })),
      ...['a1', 'c1', 'b1', 'a1', 'c1', 'd1'].map((u) => () => join(tenant, u, { time_control: '6+0', format: '2v2' })),
    ];
    const results = await Promise.all(attempts.map((attempt) => attempt()));
    expect(results.map((r) => r.status).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const created = results.filter((r) => r.status === 201).map((r) => r.body.queue_entry_id);
    const duplicates = await t.db.query(
      `SELECT user_id FROM ticket_members WHERE tenant_id = $1 AND open GROUP BY user_id HAVING count(*) > 1`,
      [tenant],
    );
    expect(duplicates).toEqual([]);
    const open = await t.db.query(
      `SELECT q.id, array_agg(t.user_id ORDER BY t.user_id) AS users FROM queue_entries q
       JOIN ticket_members t ON t.entry_id = q.id
       WHERE q.tenant_id = $1 AND q.status IN ('SEARCHING', 'MATCHING') AND t.open GROUP BY q.id`,
      [tenant],
    );
    expect(open.map((r: any) => r.id).sort()).toEqual([...created].sort());
    const users = open.flatMap((r: any) => r.users);
    expect(new Set(users).size).toBe(users.length);
    const [{ stray }] = await t.db.query(
      `SELECT count(*)::int AS stray FROM ticket_members t JOIN queue_entries q ON q.id = t.entry_id
       WHERE t.tenant_id = $1 AND t.open <> (q.status IN ('SEARCHING', 'MATCHING'))`,
      [tenant],
    );
    expect(stray).toBe(0);
  });
});

describe('party tickets, limits and timeouts', () => {
  let t: TestApp;
  useService({ RATE_LIMIT_JOINS_PER_MINUTE: '3', QUEUE_TIMEOUT_SECONDS: '2', TIMEOUT_SWEEP_MS: '200' }, (s) => (t = s));
  const parties = partyApi(() => t);
  const as = (tenant: string, user: string) => playerAuth(tenant, user, { named: true });

  it('counts a party ticket against every member’s join limit', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'amy', ['ben']);
    const queue = () =>
      postJoin(t, as(tenant, 'amy'), { time_control: '3+0', format: '2v2', party_id: party.party_id });
    for (let i = 0; i < 2; i++) {
      const ticket = await queue();
      expect(ticket.status).toBe(201);
      await t.http().delete(`${QUEUE}/${ticket.body.queue_entry_id}`).set(as(tenant, 'ben')).expect(200);
    }
    const own = await postJoin(t, as(tenant, 'ben'), { time_control: '3+0' });
    expect(own.status).toBe(201);
    await t.http().delete(`${QUEUE}/${own.body.queue_entry_id}`).set(as(tenant, 'ben')).expect(200);
    expectProblem(await postJoin(t, as(tenant, 'ben'), { time_control: '3+0' }), 429, 'RATE_LIMITED');
    const refused = await queue();
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(refused.body.user_id).toBe('ben');
  });

  it('opens the party again when its ticket times out', async () => {
    const tenant = newTenant();
    const party = await parties.form(tenant, 'cat', ['dan']);
    const ticket = await postJoin(t, as(tenant, 'cat'), {
      time_control: '3+0',
      format: '2v2',
      party_id: party.party_id,
    });
    expect(ticket.status).toBe(201);
    await waitFor(async () => (await parties.get(tenant, 'dan', party.party_id)).body.status === 'OPEN', 8000, 100);
    const ended = await t.http().get(`${QUEUE}/${ticket.body.queue_entry_id}`).set(as(tenant, 'dan'));
    expect(ended.body).toMatchObject({ status: 'TIMED_OUT', ended_reason: 'timeout' });
  });
});
