import request from 'supertest';
import { rateTeamGame } from '../libs/core/src/ratings';
import { adminAuth, playerAuth, postJoin, postResult } from './support/api';
import { ratingsDb } from './support/ratings';
import { Stub, useStubbedService } from './support/stub';
import { makeTeamMatch, matchRow } from './support/team-fixtures';
import { apiKey, bearer, TEST_API_KEY, tenantIds, TestApp, waitFor } from './support/test-app';

const newTenant = tenantIds('tr');
const PLAYERS = ['ann', 'abe', 'bea', 'bob'];

/** Team game results: every player's team rating moves once; the reads show team categories and the teams. */
describe('team results', () => {
  let stub: Stub;
  const service = useStubbedService({ ACTIVE_GAME_CHECK: 'true' }, (started) => (stub = started.stub));
  let t: TestApp;
  beforeAll(async () => {
    t = service();
    await stub.control({ result_url: t.url, result_api_key: TEST_API_KEY });
  });
  afterEach(() => stub.control({ result_url: t.url, result_api_key: TEST_API_KEY }));
  const { insertMatch } = ratingsDb(() => t.db);

  const createdGame = async (tenant: string) => {
    const { matchId } = await makeTeamMatch(t, tenant);
    const match = await waitFor(async () => {
      const m = await matchRow(t, matchId);
      return m.status === 'CREATED' && m;
    });
    return { matchId, gameId: match.game_id as string };
  };
  const teamRatings = async (tenant: string) => {
    const out: Record<string, unknown> = {};
    for (const user of PLAYERS) {
      const res = await t.http().get(`/v1/players/${user}`).set(playerAuth(tenant, 'viewer')).expect(200);
      out[user] = res.body.ratings.team_blitz;
    }
    return out;
  };

  it('moves all four ratings once from the stub’s result, as OpenSkill says', async () => {
    const tenant = newTenant();
    const { gameId } = await createdGame(tenant);
    const finished = await request(stub.url).post(`/control/games/${gameId}/finish`).send({ result: 'a' }).expect(200);
    expect(finished.body.result).toBe('a');
    expect(finished.body.result_post.state).toBe('posted');

    const newcomer = { rating: 1500, deviation: 350 };
    const expected = rateTeamGame([newcomer, newcomer], [newcomer, newcomer], 'a');
    const shown = (r: { rating: number; deviation: number }) => ({
      rating: Math.round(r.rating),
      deviation: Number(r.deviation.toFixed(1)),
      games: 1,
    });
    const after = await teamRatings(tenant);
    expect(after).toEqual({
      ann: shown(expected.a[0]),
      abe: shown(expected.a[1]),
      bea: shown(expected.b[0]),
      bob: shown(expected.b[1]),
    });
    expect((after.ann as { rating: number }).rating).toBeGreaterThan(1500);
    expect((after.bob as { rating: number }).rating).toBeLessThan(1500);
    const blitz = await t.http().get('/v1/players/me').set(playerAuth(tenant, 'ann')).expect(200);
    expect(blitz.body.ratings.blitz).toEqual({ rating: 1500, deviation: 350, games: 0 });

    const again = await postResult(t, gameId, 'a');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ result: 'a', recorded: false, ratings: null });
    const replay = await request(stub.url).post(`/control/games/${gameId}/finish`).send({ result: 'b' }).expect(200);
    expect(replay.body.result_post.state).toBe('posted');
    expect(await teamRatings(tenant)).toEqual(after);

    const joined = await postJoin(t, playerAuth(tenant, 'abe'), { time_control: '5+0' });
    expect(joined.status).toBe(201);
  });

  it('answers the rating changes of every player with the result', async () => {
    const tenant = newTenant();
    const { gameId, matchId } = await createdGame(tenant);
    const res = await postResult(t, gameId, 'draw', adminAuth(tenant));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ match_id: matchId, result: 'draw', recorded: true });
    expect(res.body.ratings.category).toBe('team_blitz');
    expect(res.body.ratings.players.map((p: any) => [p.user_id, p.team, p.before.games, p.after.games])).toEqual([
      ['ann', 'a', 0, 1],
      ['abe', 'a', 0, 1],
      ['bea', 'b', 0, 1],
      ['bob', 'b', 0, 1],
    ]);
    for (const p of res.body.ratings.players) {
      expect(p.after.rating).toBe(1500);
      expect(p.after.deviation).toBeLessThan(350);
    }
  });

  it('refuses a result of the other kind with 400 naming the field, both ways', async () => {
    const tenant = newTenant();
    const { gameId, matchId } = await createdGame(tenant);
    for (const result of ['white', 'black']) {
      const wrong = await postResult(t, gameId, result);
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('INVALID_REQUEST');
      expect(wrong.body.errors[0].field).toBe('result');
    }
    const soloGame = await insertMatch(tenant, 'cal', 'dan');
    for (const result of ['a', 'b']) {
      const wrong = await postResult(t, soloGame, result);
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors[0].field).toBe('result');
    }
    // The refused results recorded nothing: each game still takes its first result of the right kind.
    expect((await postResult(t, soloGame, 'white')).body).toMatchObject({ result: 'white', recorded: true });
    expect((await postResult(t, gameId, 'b')).body).toMatchObject({ result: 'b', recorded: true });
    expect((await matchRow(t, matchId)).result).toBe('b');
  });

  it('lists team_blitz on the leaderboard and profiles', async () => {
    const tenant = newTenant();
    const { gameId } = await createdGame(tenant);
    await postResult(t, gameId, 'b').expect(200);
    const board = await t.http().get('/v1/leaderboard?category=team_blitz').set(playerAuth(tenant, 'viewer'));
    expect(board.status).toBe(200);
    expect(board.body.category).toBe('team_blitz');
    expect(
      board.body.players
        .map((p: any) => p.user_id)
        .slice(0, 2)
        .sort(),
    ).toEqual(['bea', 'bob']);
    expect(board.body.players.map((p: any) => p.user_id).sort()).toEqual([...PLAYERS].sort());
    expect(board.body.players[0]).toMatchObject({ username: 'BEA', games: 1 });
    const blitz = await t.http().get('/v1/leaderboard?category=blitz').set(playerAuth(tenant, 'viewer'));
    expect(blitz.body.players).toEqual([]);
    const me = await t.http().get('/v1/players/me').set(playerAuth(tenant, 'bob')).expect(200);
    expect(me.body.ratings.team_blitz.games).toBe(1);
    expect(me.body.ratings.team_blitz.rating).toBeGreaterThan(1500);
  });

  it('shows the teams in the history of every player and in the admin view', async () => {
    const tenant = newTenant();
    const { gameId, matchId } = await createdGame(tenant);
    await postResult(t, gameId, 'a').expect(200);
    const teams = [
      {
        team: 'a',
        rating: 1525,
        players: [
          { user_id: 'ann', username: 'ANN', rating: 1600, board: 1, color: 'white' },
          { user_id: 'abe', username: 'ABE', rating: 1450, board: 2, color: 'black' },
        ],
      },
      {
        team: 'b',
        rating: 1530,
        players: [
          { user_id: 'bea', username: 'BEA', rating: 1580, board: 1, color: 'black' },
          { user_id: 'bob', username: 'BOB', rating: 1480, board: 2, color: 'white' },
        ],
      },
    ];
    const page = await t.http().get('/v1/matchmaking/matches').set(playerAuth(tenant, 'bob')).expect(200);
    expect(page.body.matches).toHaveLength(1);
    const mine = page.body.matches[0];
    expect(mine).toMatchObject({ match_id: matchId, format: '2v2', game_id: gameId, result: 'a', teams });
    expect(mine).toMatchObject({ color: 'white', outcome: 'loss', opponent: { user_id: 'abe', color: 'black' } });
    expect(mine.players.map((p: any) => p.user_id)).toEqual(PLAYERS);
    expect(mine.players.every((p: any) => p.rating_before === 1500 && p.rating_after !== null)).toBe(true);
    const one = await t.http().get(`/v1/matchmaking/matches/${matchId}`).set(playerAuth(tenant, 'abe')).expect(200);
    expect(one.body).toMatchObject({ outcome: 'win', color: 'black', teams });
    const outsider = await t.http().get(`/v1/matchmaking/matches/${matchId}`).set(playerAuth(tenant, 'cal'));
    expect(outsider.status).toBe(404);
    const admin = await t.http().get('/internal/matches').set(apiKey).query({ tenant_id: tenant }).expect(200);
    expect(admin.body).toHaveLength(1);
    expect(admin.body[0]).toMatchObject({ match_id: matchId, format: '2v2', white_user_id: 'ann', teams });
    const other = await t
      .http()
      .get('/v1/matchmaking/matches')
      .set(bearer('bob', { tenant_id: newTenant() }));
    expect(other.body.matches).toEqual([]);
  });
});
