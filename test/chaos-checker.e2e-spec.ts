import { Client } from 'pg';
import { checkInvariants, ClientView, FaultWindow, StubGame } from '../bench/simulation/chaos/invariants';
import { queryOn } from '../bench/simulation/identity';
import { createTestStorage } from './support/test-env';

/**
 * The chaos soak's checker against a real database: a consistent history passes, and each way of
 * breaking the accounting identity or the client-side view is caught by the check that names it.
 */
describe('chaos soak invariant checker', () => {
  let pg: Client;
  const t = Date.now();
  const options = { pendingMaxAgeS: 60, lastRepairAt: t - 120_000, recoveryGraceMs: 5000 };
  const outage: FaultWindow[] = [{ kind: 'pg-cut', startedAt: t - 60_000, repairedAt: t - 55_000 }];
  const games: StubGame[] = [{ match_id: 'm1', game_id: 'g1' }];
  const view = (overrides: Partial<ClientView> = {}): ClientView => ({
    accepted: new Map(['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((id) => [id, 'created'])),
    unknownJoins: 0,
    serverErrors: [],
    ...overrides,
  });
  const failing = async (v = view(), stubGames = games) =>
    (await checkInvariants(queryOn(pg), stubGames, v, outage, options)).filter((c) => !c.ok).map((c) => c.name);

  const entry = (id: string, user: string, status: string, extra = '') =>
    pg.query(
      `INSERT INTO queue_entries (id, tenant_id, user_id, pool_key, time_control, mode, variant, category, rating, status,
                                  enqueued_at, expires_at, match_id, game_id, ended_reason)
       SELECT $1, 'default', $2, 'standard_5+0_rated', '5+0', 'rated', 'standard', 'blitz', 1500, $3, now(),
              now() + interval '10 minutes', m, g, r FROM (SELECT $4::text AS m, $5::text AS g, $6::text AS r) x ${extra}`,
      [id, user, status, ...(statusLinks[id] ?? [null, null, null])],
    );
  const statusLinks: Record<string, [string | null, string | null, string | null]> = {
    e1: ['m1', 'g1', null],
    e2: ['m1', 'g1', null],
    e4: [null, null, 'user'],
    e5: ['m2', null, null],
    e6: ['m2', null, null],
  };
  const match = (id: string, status: string, white: string, black: string, gameId: string | null) =>
    pg.query(
      `INSERT INTO matches (id, tenant_id, source, status, pool_key, time_control, mode, variant, category,
                            white_user_id, black_user_id, white_rating, black_rating, white_entry_id, black_entry_id,
                            rating_gap, game_id, last_error)
       VALUES ($1, 'default', 'queue', $2, 'standard_5+0_rated', '5+0', 'rated', 'standard', 'blitz',
               $3, $4, 1500, 1510, $5, $6, 10, $7, NULL)`,
      [id, status, `u-${white}`, `u-${black}`, white, black, gameId],
    );

  beforeAll(async () => {
    pg = new Client({ connectionString: (await createTestStorage()).databaseUrl });
    await pg.connect();
    await match('m1', 'CREATED', 'e1', 'e2', 'g1');
    await match('m2', 'PENDING', 'e5', 'e6', null);
    await entry('e1', 'u-e1', 'MATCHED');
    await entry('e2', 'u-e2', 'MATCHED');
    await entry('e3', 'u-e3', 'SEARCHING');
    await entry('e4', 'u-e4', 'CANCELLED');
    await entry('e5', 'u-e5', 'MATCHING');
    await entry('e6', 'u-e6', 'MATCHING');
  });
  afterAll(() => pg.end());
  // each corruption lives in a transaction the checker reads through, then rolls back
  beforeEach(() => pg.query('BEGIN'));
  afterEach(() => pg.query('ROLLBACK'));

  it('passes a consistent history, with a 503 during an outage', async () => {
    const during = {
      method: 'POST',
      path: '/v1/matchmaking/queue',
      status: 503,
      code: 'X',
      at: t - 57_000,
      body: null,
    };
    expect(await failing(view({ serverErrors: [during] }))).toEqual([]);
  });

  it.each([
    ['an accepted join is missing', `DELETE FROM queue_entries WHERE id = 'e3'`, /every join the clients saw accepted/],
    [
      'an entry nobody saw accepted',
      `INSERT INTO queue_entries SELECT 'e9', tenant_id, 'u-e9', username, pool_key, time_control, mode, variant, category,
              region, rating, 'SEARCHING', enqueued_at, expires_at FROM queue_entries WHERE id = 'e3'`,
      /entries the clients never saw/,
    ],
    [
      'a user in two open entries',
      `DROP INDEX queue_entries_one_open_per_user; DROP INDEX ticket_members_one_open_ticket;
       INSERT INTO queue_entries SELECT 'e3b', tenant_id, user_id, username, pool_key, time_control, mode, variant, category,
              region, rating, 'SEARCHING', enqueued_at, expires_at FROM queue_entries WHERE id = 'e3'`,
      /no user in two open/,
    ],
    [
      'a party member in a second open ticket',
      `DROP INDEX ticket_members_one_open_ticket;
       INSERT INTO ticket_members SELECT 'e9', tenant_id, user_id, username, rating, true FROM ticket_members
       WHERE entry_id = 'e3' AND open`,
      /no user in two open tickets/,
    ],
    [
      'a CANCELLED entry without its ending',
      `UPDATE queue_entries SET ended_reason = NULL WHERE id = 'e4'`,
      /exactly one state/,
    ],
    [
      'a MATCHED entry without a game',
      `UPDATE queue_entries SET game_id = NULL WHERE id = 'e1'`,
      /every MATCHED entry/,
    ],
    [
      "a CREATED match's entry still SEARCHING",
      `UPDATE queue_entries SET status = 'SEARCHING', match_id = NULL, game_id = NULL WHERE id = 'e2'`,
      /CREATED queue match/,
    ],
    [
      'a MATCHING entry of a failed match',
      `UPDATE matches SET status = 'FAILED' WHERE id = 'm2'`,
      /every MATCHING entry/,
    ],
    [
      'a PENDING match the sweep left behind',
      `UPDATE matches SET created_at = now() - interval '10 minutes' WHERE id = 'm2'`,
      /no match PENDING longer/,
    ],
    [
      'an entry in two live matches',
      `UPDATE matches SET white_entry_id = 'e1' WHERE id = 'm2'`,
      /no queue entry in two matches/,
    ],
    [
      'a MATCHED team ticket whose member has no seat in its match',
      `UPDATE queue_entries SET format = '2v2' WHERE id = 'e1'`,
      /every member of a MATCHED team ticket/,
    ],
    [
      'a team match without its 2N seats',
      `UPDATE matches SET format = '2v2' WHERE id = 'm1'`,
      /every member of a MATCHED team ticket has a seat in its match, and every team match 2N seats/,
    ],
  ])('catches %s', async (_name, sql, check) => {
    await pg.query(sql);
    expect(await failing()).toEqual(expect.arrayContaining([expect.stringMatching(check)]));
  });

  it('counts a PENDING match from the last repair: faults in a row may each have delayed it', async () => {
    await pg.query(`UPDATE matches SET created_at = now() - interval '10 minutes' WHERE id = 'm2'`);
    const recentRepair = { ...options, lastRepairAt: Date.now() - 30_000 };
    const names = (await checkInvariants(queryOn(pg), games, view(), outage, recentRepair)).filter((c) => !c.ok);
    expect(names).toEqual([]);
    expect(await failing()).toEqual([expect.stringMatching(/no match PENDING longer/)]);
  });

  it('catches a match with two games, and a game on a match that failed for a definite reason', async () => {
    expect(await failing(view(), [...games, { match_id: 'm1', game_id: 'g2' }])).toEqual(
      expect.arrayContaining([expect.stringMatching(/no match with two games/)]),
    );
    await pg.query(`UPDATE matches SET status = 'FAILED', last_error = 'live-game API answered 400' WHERE id = 'm2'`);
    await pg.query(`UPDATE queue_entries SET status = 'SEARCHING', match_id = NULL WHERE id IN ('e5', 'e6')`);
    const failed = await failing(view(), [...games, { match_id: 'm2', game_id: 'g7' }]);
    expect(failed).toEqual([expect.stringMatching(/every game on the live-game API/)]);
    // an earlier call that timed out may have created the game, whatever the last call answered: the
    // service cannot know, so that is no violation
    await pg.query(`UPDATE matches SET unanswered_attempts = 1 WHERE id = 'm2'`);
    expect(await failing(view(), [...games, { match_id: 'm2', game_id: 'g7' }])).toEqual([]);
  });

  it('catches a 500, and a 503 while every dependency was up', async () => {
    const at = (ms: number, status: number) => ({
      method: 'GET',
      path: '/v1/matchmaking/active',
      status,
      code: null,
      at: ms,
      body: null,
    });
    expect(await failing(view({ serverErrors: [at(t - 57_000, 500)] }))).toEqual([
      expect.stringMatching(/no 5xx other than 503/),
    ]);
    expect(await failing(view({ serverErrors: [at(t - 10_000, 503)] }))).toEqual([
      expect.stringMatching(/503s only while/),
    ]);
  });
});
