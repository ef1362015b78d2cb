import { GameAttemptsRepository } from '../apps/matchmaking/src/game-creation/game-attempts.repository';
import { GameJobsRepository } from '../apps/matchmaking/src/jobs/game-jobs.repository';
import { insertMatch, useMatchingService } from './support/fixtures';
import { Stub } from './support/stub';
import { bearer, sleep, tenantIds, TestApp, waitFor } from './support/test-app';

const newTenant = tenantIds('t');

describe('matching and game creation', () => {
  let stub: Stub;
  let t: TestApp;
  const { join, entry, untilStatus, setRating } = useMatchingService((started) => ({ stub, t } = started));

  it('retries 5xx answers with the same key and makes one game', async () => {
    await stub.control({ fail_next: { count: 2, status: 503 } });
    const tenant = newTenant();
    const a = await join(tenant, 'xen', { time_control: '4+2' });
    await join(tenant, 'yul', { time_control: '4+2' });
    const done = await untilStatus(tenant, 'xen', a.queue_entry_id, 'MATCHED');
    const requests = await stub.requests(done.match_id);
    expect(requests.map((r) => r.status_returned)).toEqual([503, 503, 201]);
    expect(new Set(requests.map((r) => r.idempotency_key))).toEqual(new Set([done.match_id]));
    const [match] = await t.db.query(`SELECT status, attempts, game_id FROM matches WHERE id = $1`, [done.match_id]);
    expect(match).toEqual({ status: 'CREATED', attempts: 3, game_id: done.game_id });
  });

  it('fails a match for good after the last attempt and requeues both players with their priority', async () => {
    await stub.control({ failure_rate: 1, failure_status: 500 });
    const tenant = newTenant();
    const a = await join(tenant, 'zoe', { time_control: '6+0' });
    const b = await join(tenant, 'abe', { time_control: '6+0' });
    const failedMatch = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1 AND status = 'FAILED'`, [tenant]);
      return m;
    });
    expect(failedMatch.attempts).toBe(3);
    expect(failedMatch.last_error).toMatch(/500/);
    expect(failedMatch.unanswered_attempts).toBe(0);
    expect((await stub.requests(failedMatch.id)).length).toBe(3);
    await stub.control({ failure_rate: 0 });
    const back = await entry(tenant, 'zoe', a.queue_entry_id);
    expect(['SEARCHING', 'MATCHING', 'MATCHED']).toContain(back.status);
    expect(back.enqueued_at).toBe(a.enqueued_at);
    const matched = await untilStatus(tenant, 'abe', b.queue_entry_id, 'MATCHED');
    expect(matched.match_id).not.toBe(failedMatch.id);
    expect(matched.enqueued_at).toBe(b.enqueued_at);
  });

  it('counts the calls whose answer never came on a match that fails, since each may have made a game', async () => {
    await stub.control({ down: true, down_mode: 'reset' });
    const tenant = newTenant();
    await join(tenant, 'rui', { time_control: '6+1' });
    await join(tenant, 'sol', { time_control: '6+1' });
    const failedMatch = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1 AND status = 'FAILED'`, [tenant]);
      return m;
    });
    await stub.control({ down: false });
    expect(failedMatch).toMatchObject({ attempts: 3, unanswered_attempts: 3 });
    expect(failedMatch.last_error).toMatch(/unreachable/);
  });

  it('counts live-game attempts per match, so a match given a new job does not start its attempts again', async () => {
    await stub.control({ failure_rate: 1, failure_status: 503 });
    const tenant = newTenant();
    // as the sweep leaves a match whose job ran out of attempts on PostgreSQL errors after two live-game calls
    const { matchId } = await insertMatch(t.db, { tenant, status: 'PENDING', attempts: 2, timeControl: '6+2' });
    await t.app.get(GameJobsRepository).replace({ matchId, requestId: null });
    const failed = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE id = $1 AND status = 'FAILED'`, [matchId]);
      return m;
    });
    await stub.control({ failure_rate: 0 });
    expect(failed.attempts).toBe(3);
    expect((await stub.requests(matchId)).map((r) => r.status_returned)).toEqual([503]);
  });

  it('counts an attempt whose worker died before recording the answer as unanswered', async () => {
    await stub.control({ fail_next: { count: 1, status: 422 } });
    const tenant = newTenant();
    const { matchId } = await insertMatch(t.db, { tenant, status: 'PENDING', timeControl: '6+3' });
    // a worker began an attempt (the call may have made the game) and was killed before the answer came back
    await t.app.get(GameAttemptsRepository).begin(matchId);
    await t.app.get(GameJobsRepository).replace({ matchId, requestId: null });
    const failed = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE id = $1 AND status = 'FAILED'`, [matchId]);
      return m;
    });
    expect(failed).toMatchObject({ attempts: 2, unanswered_attempts: 1 });
  });

  it('does not retry other 4xx answers', async () => {
    await stub.control({ fail_next: { count: 1, status: 422 } });
    const tenant = newTenant();
    const a = await join(tenant, 'bo', { time_control: '7+0' });
    await join(tenant, 'cy', { time_control: '7+0' });
    const failedMatch = await waitFor(async () => {
      const [m] = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1 AND status = 'FAILED'`, [tenant]);
      return m;
    });
    expect(failedMatch.attempts).toBe(1);
    expect(failedMatch.unanswered_attempts).toBe(0);
    expect((await stub.requests(failedMatch.id)).map((r) => r.status_returned)).toEqual([422]);
    const again = await untilStatus(tenant, 'bo', a.queue_entry_id, 'MATCHED');
    expect(again.match_id).not.toBe(failedMatch.id);
  });

  it('never both cancels and matches a player racing a tick', async () => {
    const tenant = newTenant();
    const outcomes: string[] = [];
    for (let i = 0; i < 15; i++) {
      const a = await join(tenant, `ra${i}`, { time_control: '8+0' });
      await join(tenant, `rb${i}`, { time_control: '8+0' });
      await sleep((i * 17) % 120);
      const cancel = await t
        .http()
        .delete(`/v1/matchmaking/queue/${a.queue_entry_id}`)
        .set(bearer(`ra${i}`, { tenant_id: tenant }));
      outcomes.push(cancel.status === 200 ? 'cancelled' : cancel.body.code);
      if (cancel.status === 200) {
        expect(cancel.body.status).toBe('CANCELLED');
        expect(cancel.body.match_id).toBeNull();
      } else {
        expect(cancel.body.code).toBe('CANNOT_CANCEL');
      }
    }
    await sleep(1500);
    const [bad] = await t.db.query(
      `SELECT count(*)::int AS n FROM matches m JOIN queue_entries q ON q.id IN (m.white_entry_id, m.black_entry_id)
       WHERE m.tenant_id = $1 AND m.status <> 'FAILED' AND q.status = 'CANCELLED'`,
      [tenant],
    );
    expect(bad.n).toBe(0);
    const [twice] = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT q.id FROM queue_entries q JOIN matches m ON q.id IN (m.white_entry_id, m.black_entry_id)
       WHERE m.tenant_id = $1 GROUP BY q.id HAVING count(*) > 1) x`,
      [tenant],
    );
    expect(twice.n).toBe(0);
    expect(outcomes.length).toBe(15);
  });

  it('pairs 120 waiting players exactly once each', async () => {
    const tenant = newTenant();
    const users = Array.from({ length: 120 }, (_, i) => `p${i}`);
    await Promise.all(users.map((u, i) => setRating(tenant, u, 'rapid', 1400 + (i % 40) * 5)));
    const entries = await Promise.all(users.map((u) => join(tenant, u, { time_control: '10+0' })));
    await waitFor(
      async () => {
        const [r] = await t.db.query(
          `SELECT count(*)::int AS n FROM queue_entries WHERE tenant_id = $1 AND status = 'MATCHED'`,
          [tenant],
        );
        return r.n === 120;
      },
      20000,
      200,
    );
    const matches = await t.db.query(`SELECT * FROM matches WHERE tenant_id = $1`, [tenant]);
    expect(matches).toHaveLength(60);
    const seen = matches.flatMap((m: any) => [m.white_user_id, m.black_user_id]).sort();
    expect(seen).toEqual([...users].sort());
    expect(new Set(matches.map((m: any) => m.game_id)).size).toBe(60);
    for (const m of matches) expect(m.rating_gap).toBeLessThanOrEqual(100);
    const gameIds = new Set((await stub.games()).filter((g) => g.tenant_id === tenant).map((g) => g.game_id));
    expect(gameIds.size).toBe(60);
    expect(entries).toHaveLength(120);
  });
});
