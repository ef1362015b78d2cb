import request from 'supertest';
import { expectProblem, playerAuth, postJoin } from './support/api';
import { Stub, STUB_TOKEN, useStubbedService } from './support/stub';
import { makeTeamMatch, matchRow, TEAM_A, TEAM_B, ticketRows } from './support/team-fixtures';
import { tenantIds, TestApp, waitFor } from './support/test-app';
import { TeamMatchesRepository } from '../apps/matchmaking/src/matches/team-matches.repository';
import { COOLDOWN_PROBE_MAX_USERS } from '../apps/matchmaking/src/matching/pairing.repository';

const newTenant = tenantIds('tg');

/** Team matches from "the match row exists" to their game: the §12 body, retries, failure, the active-game rule. */
describe('team games', () => {
  let stub: Stub;
  const service = useStubbedService(
    {
      GAME_CREATE_ATTEMPTS: '3',
      GAME_CREATE_BACKOFF_MS: '50',
      REMATCH_COOLDOWN_SECONDS: '60',
      ACTIVE_GAME_CHECK: 'true',
      // Tickets back to SEARCHING get their pool's tick, which is 1v1-only until the team tick lands: windows
      // narrower than any gap of the fixture (≥ 20 points) keep it from pairing them while the test reads them.
      RATING_WINDOW_INITIAL: '10',
      RATING_WINDOW_MAX: '10',
    },
    (started) => (stub = started.stub),
  );
  let t: TestApp;
  beforeAll(() => (t = service()));

  const settled = (matchId: string) =>
    waitFor(async () => {
      const m = await matchRow(t, matchId);
      return m.status !== 'PENDING' && m;
    });

  it('sends the §12 team body once and makes every ticket MATCHED with the game', async () => {
    const tenant = newTenant();
    const { matchId, tickets } = await makeTeamMatch(t, tenant);
    const match = await settled(matchId);
    expect(match).toMatchObject({ status: 'CREATED', format: '2v2', white_user_id: 'ann', black_user_id: 'bea' });
    expect(match.rating_gap).toBe(5);
    // its players are kept apart for the cooldown, in a pool too big to probe user by user too
    const crowd = [...TEAM_A, ...TEAM_B]
      .map((s) => s.user)
      .concat(Array.from({ length: COOLDOWN_PROBE_MAX_USERS }, (_, i) => `far${i}`));
    const apart = await t.app.get(TeamMatchesRepository).recentOpponents(tenant, crowd, 60);
    expect(apart.map(([a, b]) => `${a}-${b}`).sort()).toEqual(['abe-bea', 'abe-bob', 'ann-bea', 'ann-bob']);

    const requests = await stub.requests(matchId);
    expect(requests).toHaveLength(1);
    expect(requests[0].status_returned).toBe(201);
    expect(requests[0].body).toEqual({
      match_id: matchId,
      tenant_id: tenant,
      format: '2v2',
      time_control: '3+0',
      mode: 'rated',
      variant: 'standard',
      teams: [
        {
          team: 'a',
          players: [
            { user_id: 'ann', board: 1, color: 'white' },
            { user_id: 'abe', board: 2, color: 'black' },
          ],
        },
        {
          team: 'b',
          players: [
            { user_id: 'bea', board: 1, color: 'black' },
            { user_id: 'bob', board: 2, color: 'white' },
          ],
        },
      ],
      rating_snapshot: { ann: 1600, abe: 1450, bea: 1580, bob: 1480 },
      metadata: { matchmaking_source: 'queue', region: 'EU' },
    });
    const rows = await ticketRows(t, tickets);
    expect(rows.map((r) => [r.status, r.match_id, r.game_id, r.color, r.opponent])).toEqual(
      tickets.map(() => ['MATCHED', matchId, match.game_id, null, null]),
    );
  });

  it('retries with the same key and makes one game', async () => {
    const tenant = newTenant();
    await stub.control({ fail_next: { count: 2, status: 503 } });
    const { matchId, tickets } = await makeTeamMatch(t, tenant);
    const match = await settled(matchId);
    expect(match.status).toBe('CREATED');
    expect(match.attempts).toBe(3);
    const requests = await stub.requests(matchId);
    expect(requests.map((r) => r.status_returned)).toEqual([503, 503, 201]);
    expect(new Set(requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await stub.games()).filter((g) => g.match_id === matchId)).toHaveLength(1);
    expect((await ticketRows(t, tickets)).every((r) => r.status === 'MATCHED' && r.game_id === match.game_id)).toBe(
      true,
    );
  });

  it('fails for good: the match FAILED, every ticket SEARCHING with its enqueued_at, the teams kept apart', async () => {
    const tenant = newTenant();
    await stub.control({ fail_next: { count: 1, status: 422 } });
    const { matchId, tickets } = await makeTeamMatch(t, tenant);
    const before = await ticketRows(t, tickets);
    const match = await settled(matchId);
    expect(match.status).toBe('FAILED');
    expect(match.last_error).toContain('422');
    expect(await stub.requests(matchId)).toHaveLength(1);
    const after = await ticketRows(t, tickets);
    expect(after.map((r) => [r.status, r.match_id, r.enqueued_at])).toEqual(
      before.map((r) => ['SEARCHING', null, r.enqueued_at]),
    );
    const users = [...TEAM_A, ...TEAM_B].map((s) => s.user);
    const repo = t.app.get(TeamMatchesRepository);
    const opponents = ['abe-bea', 'abe-bob', 'ann-bea', 'ann-bob'];
    const apart = await repo.recentOpponents(tenant, users, 60);
    expect(apart.map(([a, b]) => `${a}-${b}`).sort()).toEqual(opponents);
    // a pool too big to probe user by user reads the tenant's window whole: the same pairs, by failed_at
    const crowd = [...users, ...Array.from({ length: COOLDOWN_PROBE_MAX_USERS }, (_, i) => `far${i}`)];
    const apartInCrowd = await repo.recentOpponents(tenant, crowd, 60);
    expect(apartInCrowd.map(([a, b]) => `${a}-${b}`).sort()).toEqual(opponents);
  });

  it('refuses a 1v1 join to every player of an unfinished team game', async () => {
    const tenant = newTenant();
    const { matchId } = await makeTeamMatch(t, tenant);
    expect((await settled(matchId)).status).toBe('CREATED');
    for (const user of ['ann', 'abe', 'bea', 'bob']) {
      const refused = await postJoin(t, playerAuth(tenant, user), { time_control: '5+0' });
      expectProblem(refused, 409, 'ACTIVE_GAME_EXISTS');
    }
    const free = await postJoin(t, playerAuth(tenant, 'cal'), { time_control: '5+0' });
    expect(free.status).toBe(201);
  });

  it('the stub refuses a team body that does not line up, naming each problem', async () => {
    const res = await request(stub.url)
      .post('/v1/games')
      .set({ authorization: `Bearer ${STUB_TOKEN}`, 'idempotency-key': 'm_bad' })
      .send({
        match_id: 'm_bad',
        tenant_id: 'default',
        format: '2v2',
        time_control: '3+0',
        mode: 'rated',
        variant: 'standard',
        teams: [
          {
            team: 'a',
            players: [
              { user_id: 'ann', board: 1, color: 'black' },
              { user_id: 'abe', board: 2, color: 'black' },
            ],
          },
          {
            team: 'b',
            players: [
              { user_id: 'bea', board: 1, color: 'black' },
              { user_id: 'ann', board: 2, color: 'white' },
            ],
          },
        ],
        rating_snapshot: { ann: 1500, bea: 1500, zed: 1500 },
        metadata: { matchmaking_source: 'queue', region: null },
      });
    expect(res.status).toBe(400);
    expect(res.body.error.split('; ')).toEqual([
      'teams[0].players[0].color must be white',
      'teams[1].players[1].user_id "ann" plays twice',
      'rating_snapshot.abe must be a number',
      'rating_snapshot.zed is not a player of the game',
    ]);
  });
});
