import request from 'supertest';
import { MATCHING_ENV } from './support/fixtures';
import { playerApi } from './support/api';
import { partyApi, storeRating } from './support/parties';
import { Stub, useStubbedService } from './support/stub';
import { apiKey, tenantIds, TestApp, waitFor } from './support/test-app';

const newTenant = tenantIds('tm');
const TEAM = { time_control: '3+0', format: '2v2' };

/** The team tick end to end (SPEC §12): tickets in, balanced teams of whole tickets out, one game each. */
describe('team matching', () => {
  let stub: Stub;
  let t: TestApp;
  const service = useStubbedService(
    { ...MATCHING_ENV, RATING_WINDOW_MAX: '400' },
    (started) => ({ stub, t } = started),
  );
  const players = playerApi(service, { named: true });
  const parties = partyApi(service);

  const rate = (tenant: string, ratings: Record<string, number>) =>
    Promise.all(Object.entries(ratings).map(([u, r]) => storeRating(t.db, tenant, u, 'team_blitz', r)));
  const queueAlone = (tenant: string, user: string, extra: object = {}) =>
    players.join(tenant, user, { ...TEAM, ...extra });
  const queueParty = async (tenant: string, leader: string, members: string[], extra: object = {}) => {
    const party = await parties.form(tenant, leader, members);
    return players.join(tenant, leader, { ...TEAM, party_id: party.party_id, ...extra });
  };
  const matched = (tenant: string, user: string, id: string) =>
    players.untilStatus(tenant, user, id, 'MATCHED', 15_000);
  /** Who played with whom: each team of the stub's game as a sorted list of user ids. */
  const teamsOf = (body: any) => body.teams.map((team: any) => team.players.map((p: any) => p.user_id).sort());
  /** Every seat of an entry's team match as user id → username. */
  const namesOf = (entry: any) =>
    Object.fromEntries(entry.match.teams.flatMap((team: any) => team.players.map((p: any) => [p.user_id, p.username])));

  it('makes one 2v2 of four solos, balanced, with the §12 live-game body and the match on every ticket', async () => {
    const tenant = newTenant();
    await rate(tenant, { sa: 1600, sb: 1580, sc: 1420, sd: 1400 });
    const ids = [];
    for (const u of ['sa', 'sb', 'sc', 'sd']) ids.push((await queueAlone(tenant, u, { region: 'EU' })).queue_entry_id);
    const done = await matched(tenant, 'sa', ids[0]);
    const [sent] = await stub.requests(done.match_id);
    // the only split with equal team ratings is 1600 + 1400 against 1580 + 1420; which of the two is
    // team a follows the colour rule over the board-1 players, a coin toss for newcomers
    const saTeam = sent.body.teams.find((team: any) => team.players.some((p: any) => p.user_id === 'sa')).team;
    const seats = (first: string, second: string, white: boolean) => [
      { user_id: first, board: 1, color: white ? 'white' : 'black' },
      { user_id: second, board: 2, color: white ? 'black' : 'white' },
    ];
    const [sasTeam, sbsTeam] = [seats('sa', 'sd', saTeam === 'a'), seats('sb', 'sc', saTeam !== 'a')];
    expect(sent.body).toEqual({
      match_id: done.match_id,
      tenant_id: tenant,
      format: '2v2',
      time_control: '3+0',
      mode: 'rated',
      variant: 'standard',
      teams:
        saTeam === 'a'
          ? [
              { team: 'a', players: sasTeam },
              { team: 'b', players: sbsTeam },
            ]
          : [
              { team: 'a', players: sbsTeam },
              { team: 'b', players: sasTeam },
            ],
      rating_snapshot: { sa: 1600, sb: 1580, sc: 1420, sd: 1400 },
      metadata: { matchmaking_source: 'queue', region: 'EU' },
    });
    for (const [i, u] of ['sa', 'sb', 'sc', 'sd'].entries()) {
      const entry = await matched(tenant, u, ids[i]);
      expect(entry).toMatchObject({ match_id: done.match_id, game_id: done.game_id, color: null, opponent: null });
      expect(entry.match).toMatchObject({ match_id: done.match_id, game_id: done.game_id, format: '2v2' });
      expect(entry.match.teams.map((team: any) => team.rating)).toEqual([1500, 1500]);
    }
    expect(namesOf(done)).toEqual({ sa: 'SA', sb: 'SB', sc: 'SC', sd: 'SD' });
    // the match carries the request id of its latest ticket's join (the live-game call's x-request-id)
    const rows = await t.db.query(
      `SELECT (SELECT request_id FROM matches WHERE id = $1) AS match,
              (SELECT request_id FROM queue_entries WHERE id = $2) AS latest`,
      [done.match_id, ids[3]],
    );
    expect(rows[0].latest).toMatch(/.+/);
    expect(rows[0].match).toBe(rows[0].latest);
    const active = await request(t.url).get('/v1/matchmaking/active').set(players.as(tenant, 'sd'));
    expect(active.body.match).toMatchObject({ match_id: done.match_id, format: '2v2' });
    expect(active.body.match.teams).toHaveLength(2);
  });

  it('puts a party of two against two solos, never splitting it, and reopens the party after the result', async () => {
    const tenant = newTenant();
    await rate(tenant, { pa: 1700, pb: 1300, sx: 1550, sy: 1450 });
    const ticket = await queueParty(tenant, 'pa', ['pb']);
    await queueAlone(tenant, 'sx');
    await queueAlone(tenant, 'sy');
    const done = await matched(tenant, 'pb', ticket.queue_entry_id);
    const [sent] = await stub.requests(done.match_id);
    expect(teamsOf(sent.body).sort()).toEqual([
      ['pa', 'pb'],
      ['sx', 'sy'],
    ]);
    expect(namesOf(done)).toEqual({ pa: 'PA', pb: 'PB', sx: 'SX', sy: 'SY' });
    const party = (await parties.current(tenant, 'pb')).body;
    expect(party.status).toBe('IN_GAME');
    const result = await players.postResult(done.game_id, 'a', apiKey);
    expect(result.status).toBe(200);
    expect(result.body.ratings.players).toHaveLength(4);
    expect((await parties.current(tenant, 'pa')).body.status).toBe('OPEN');
    const again = await players.postResult(done.game_id, 'a', apiKey);
    expect(again.body.recorded).toBe(false);
  });

  it('matches two parties against each other', async () => {
    const tenant = newTenant();
    const one = await queueParty(tenant, 'ka', ['kb']);
    const two = await queueParty(tenant, 'la', ['lb']);
    const done = await matched(tenant, 'ka', one.queue_entry_id);
    expect((await matched(tenant, 'lb', two.queue_entry_id)).match_id).toBe(done.match_id);
    const [sent] = await stub.requests(done.match_id);
    expect(teamsOf(sent.body).sort()).toEqual([
      ['ka', 'kb'],
      ['la', 'lb'],
    ]);
  });

  it('keeps 1v1 and 2v2 pools apart', async () => {
    const tenant = newTenant();
    const solo = await queueAlone(tenant, 'ta');
    await queueAlone(tenant, 'tb');
    const duel = await players.join(tenant, 'ua', { time_control: '3+0' });
    await players.join(tenant, 'ub', { time_control: '3+0' });
    const paired = await matched(tenant, 'ua', duel.queue_entry_id);
    expect(paired.opponent.user_id).toBe('ub');
    expect(paired.match).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await players.entry(tenant, 'ta', solo.queue_entry_id)).status).toBe('SEARCHING');
  });

  it('counts players and tickets of a team pool in the admin summary and the lobby', async () => {
    const tenant = newTenant();
    await queueParty(tenant, 'qa', ['qb']);
    await queueAlone(tenant, 'qc');
    const summary = await request(t.url).get('/internal/queues/summary').query({ tenant_id: tenant }).set(apiKey);
    expect(summary.body.queues).toEqual([
      expect.objectContaining({ pool_key: 'standard_3+0_rated_2v2', waiting_count: 3, tickets: 2 }),
    ]);
    const lobby = await waitFor(async () => {
      const res = await request(t.url)
        .get('/v1/matchmaking/pools')
        .query({ format: '2v2' })
        .set(players.as(tenant, 'qd'));
      // the tick after both joins counts the party's two players and the solo, not its two tickets
      return res.body.pools[0]?.waiting_count === 3 && res.body;
    });
    expect(lobby.pools).toEqual([
      expect.objectContaining({ pool_key: 'standard_3+0_rated_2v2', format: '2v2', waiting_count: 3 }),
    ]);
  });

  it('lets regions meet only after the fallback, per ticket', async () => {
    const tenant = newTenant();
    const eu = await queueAlone(tenant, 'ra', { region: 'EU' });
    await queueAlone(tenant, 'rb', { region: 'EU' });
    await queueAlone(tenant, 'rc', { region: 'US' });
    await queueAlone(tenant, 'rd', { region: 'US' });
    const done = await matched(tenant, 'ra', eu.queue_entry_id);
    const [row] = await t.db.query(
      `SELECT extract(epoch FROM m.created_at - max(q.enqueued_at))::float8 AS after_s FROM matches m
       JOIN queue_entries q ON q.match_id = m.id WHERE m.id = $1 GROUP BY m.created_at`,
      [done.match_id],
    );
    expect(row.after_s).toBeGreaterThanOrEqual(Number(MATCHING_ENV.REGION_FALLBACK_SECONDS) - 0.2);
  });

  it('never puts two players more than RATING_WINDOW_MAX apart in one match', async () => {
    const tenant = newTenant();
    await rate(tenant, { wa: 1500, wb: 1500, wc: 1500, wd: 1950, we: 1500 });
    const far = await queueAlone(tenant, 'wd');
    const first = await queueAlone(tenant, 'wa');
    await queueAlone(tenant, 'wb');
    await queueAlone(tenant, 'wc');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await players.entry(tenant, 'wa', first.queue_entry_id)).status).toBe('SEARCHING');
    await queueAlone(tenant, 'we');
    const done = await matched(tenant, 'wa', first.queue_entry_id);
    const [sent] = await stub.requests(done.match_id);
    expect(teamsOf(sent.body).flat().sort()).toEqual(['wa', 'wb', 'wc', 'we']);
    expect((await players.entry(tenant, 'wd', far.queue_entry_id)).status).toBe('SEARCHING');
  });

  it('requeues every ticket with its priority when the game fails for good, then matches them again', async () => {
    await stub.control({ fail_next: { count: 1, status: 422 } });
    const tenant = newTenant();
    const ticket = await queueParty(tenant, 'fa', ['fb']);
    const solo = await queueAlone(tenant, 'fc');
    await queueAlone(tenant, 'fd');
    const failed = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1 AND status = 'FAILED'`, [tenant]);
      return m;
    }, 10_000);
    const again = await matched(tenant, 'fb', ticket.queue_entry_id);
    expect(again.match_id).not.toBe(failed.id);
    expect(again.enqueued_at).toBe(ticket.enqueued_at);
    expect((await matched(tenant, 'fc', solo.queue_entry_id)).enqueued_at).toBe(solo.enqueued_at);
  });

  it('puts every player of a crowd of 80 in mixed tickets in exactly one match', async () => {
    const tenant = newTenant();
    const ids: Array<[string, string]> = [];
    const joins = [];
    for (let i = 0; i < 20; i++) {
      const leader = `c${i}a`;
      joins.push(queueParty(tenant, leader, [`c${i}b`]).then((e) => ids.push([leader, e.queue_entry_id])));
    }
    for (let i = 0; i < 40; i++) {
      const user = `s${i}`;
      joins.push(queueAlone(tenant, user).then((e) => ids.push([user, e.queue_entry_id])));
    }
    await Promise.all(joins);
    for (const [user, id] of ids) await matched(tenant, user, id);
    const seats = await t.db.query(
      `SELECT user_id, count(*)::int AS n FROM match_players WHERE tenant_id = $1 GROUP BY user_id`,
      [tenant],
    );
    expect(seats).toHaveLength(80);
    expect(seats.every((s: { n: number }) => s.n === 1)).toBe(true);
    const [{ matches }] = await t.db.query(
      `SELECT count(*)::int AS matches FROM matches WHERE tenant_id = $1 AND status = 'CREATED'`,
      [tenant],
    );
    expect(matches).toBe(20);
    const split = await t.db.query(
      `SELECT q.party_id FROM match_players p JOIN queue_entries q ON q.id = p.queue_entry_id
       WHERE p.tenant_id = $1 AND q.party_id IS NOT NULL GROUP BY q.party_id HAVING count(DISTINCT p.team) > 1`,
      [tenant],
    );
    expect(split).toEqual([]);
    // a tick writes its matches in one statement: each seat, ticket and board-1 colour is its own match's
    const crossed = await t.db.query(
      `SELECT p.user_id FROM match_players p JOIN queue_entries q ON q.id = p.queue_entry_id
       WHERE p.tenant_id = $1 AND q.match_id IS DISTINCT FROM p.match_id`,
      [tenant],
    );
    expect(crossed).toEqual([]);
    const boardOne = await t.db.query(
      `SELECT m.id FROM matches m WHERE m.tenant_id = $1 AND NOT EXISTS (
         SELECT 1 FROM match_players a JOIN match_players b ON b.match_id = a.match_id AND b.team = 'b' AND b.board = 1
         WHERE a.match_id = m.id AND a.team = 'a' AND a.board = 1
           AND a.user_id = m.white_user_id AND b.user_id = m.black_user_id)`,
      [tenant],
    );
    expect(boardOne).toEqual([]);
  });
});
