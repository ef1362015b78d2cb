import { COOLDOWN_PROBE_MAX_USERS, PairingRepository } from '../apps/matchmaking/src/matching/pairing.repository';
import { insertMatch, insertSearching, useMatchingService } from './support/fixtures';
import { Stub, STUB_TOKEN } from './support/stub';
import { bearer, sleep, tenantIds, TestApp } from './support/test-app';

const newTenant = tenantIds('t');

describe('matching and game creation', () => {
  let stub: Stub;
  let t: TestApp;
  const { join, entry, untilStatus, setRating } = useMatchingService((started) => ({ stub, t } = started));
  const stillSearchingAfter = async (ms: number, tenant: string, ...entries: [string, string][]) => {
    await sleep(ms);
    for (const [user, id] of entries) expect((await entry(tenant, user, id)).status).toBe('SEARCHING');
  };

  it('pairs two compatible players and creates exactly one game with the documented request', async () => {
    const tenant = newTenant();
    await setRating(tenant, 'ann', 'blitz', 1510);
    const a = await join(tenant, 'ann', { time_control: '3+2', region: 'eu' });
    const b = await join(tenant, 'ben', { time_control: '3+2', region: 'EU' });
    const ea = await untilStatus(tenant, 'ann', a.queue_entry_id, 'MATCHED');
    const eb = await untilStatus(tenant, 'ben', b.queue_entry_id, 'MATCHED');
    expect(ea.game_id).toBeTruthy();
    expect(eb.game_id).toBe(ea.game_id);
    expect(ea.match_id).toBe(eb.match_id);
    expect(new Set([ea.color, eb.color])).toEqual(new Set(['white', 'black']));
    expect(ea.opponent).toEqual({
      user_id: 'ben',
      username: 'BEN',
      rating_snapshot: { time_control: '3+2', mode: 'rated', rating: 1500 },
    });
    expect(eb.opponent).toEqual({
      user_id: 'ann',
      username: 'ANN',
      rating_snapshot: { time_control: '3+2', mode: 'rated', rating: 1510 },
    });

    const requests = await stub.requests(ea.match_id);
    expect(requests).toHaveLength(1);
    const [white, black] = ea.color === 'white' ? ['ann', 'ben'] : ['ben', 'ann'];
    expect(requests[0].idempotency_key).toBe(ea.match_id);
    expect(requests[0].authorization).toBe(`Bearer ${STUB_TOKEN}`);
    expect(requests[0].body).toEqual({
      match_id: ea.match_id,
      tenant_id: tenant,
      white_player_id: white,
      black_player_id: black,
      time_control: '3+2',
      mode: 'rated',
      variant: 'standard',
      rating_snapshot: { white: white === 'ann' ? 1510 : 1500, black: black === 'ann' ? 1510 : 1500 },
      metadata: { matchmaking_source: 'queue', region: 'EU' },
    });

    const active = await t
      .http()
      .get('/v1/matchmaking/active')
      .set(bearer('ann', { tenant_id: tenant }));
    expect(active.body.queue_entry).toBeNull();
    expect(active.body.match).toEqual({
      match_id: ea.match_id,
      game_id: ea.game_id,
      time_control: '3+2',
      mode: 'rated',
      variant: 'standard',
      color: ea.color,
      opponent: { user_id: 'ben', username: 'BEN', rating: 1500 },
    });
    const cancel = await t
      .http()
      .delete(`/v1/matchmaking/queue/${a.queue_entry_id}`)
      .set(bearer('ann', { tenant_id: tenant }));
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('CANNOT_CANCEL');
  });

  it('never pairs different pools or tenants', async () => {
    const tenant = newTenant();
    const other = newTenant();
    const a = await join(tenant, 'cat', { time_control: '5+0' });
    const b = await join(tenant, 'dan', { time_control: '5+0', mode: 'casual' });
    const c = await join(other, 'eve', { time_control: '5+0' });
    await stillSearchingAfter(800, tenant, ['cat', a.queue_entry_id], ['dan', b.queue_entry_id]);
    expect((await entry(other, 'eve', c.queue_entry_id)).status).toBe('SEARCHING');
  });

  it('widens the window with waiting time and requires the gap to fit both windows', async () => {
    const tenant = newTenant();
    await setRating(tenant, 'low', 'blitz', 1500);
    await setRating(tenant, 'high', 'blitz', 1650);
    const low = await join(tenant, 'low', { time_control: '3+0' });
    // Alone, low's window grows to 100 + 25·3 = 175 ≥ 150 …
    await sleep(3200);
    const high = await join(tenant, 'high', { time_control: '3+0' });
    // … but the newcomer's window is 100 < 150, so they are not paired yet,
    await stillSearchingAfter(600, tenant, ['low', low.queue_entry_id], ['high', high.queue_entry_id]);
    // until the newcomer has waited two steps (150).
    const matched = await untilStatus(tenant, 'high', high.queue_entry_id, 'MATCHING', 6000).catch(() =>
      untilStatus(tenant, 'high', high.queue_entry_id, 'MATCHED', 100),
    );
    expect(matched.opponent.user_id).toBe('low');
  });

  it('keeps regions apart until the fallback wait, then pairs across regions', async () => {
    const tenant = newTenant();
    const eu = await join(tenant, 'eu1', { time_control: '10+0', region: 'EU' });
    const na = await join(tenant, 'na1', { time_control: '10+0', region: 'NA' });
    await stillSearchingAfter(1200, tenant, ['eu1', eu.queue_entry_id], ['na1', na.queue_entry_id]);
    const matched = await untilStatus(tenant, 'eu1', eu.queue_entry_id, 'MATCHED', 6000);
    expect(matched.opponent.user_id).toBe('na1');
  });

  it('pairs a player without a region with anyone', async () => {
    const tenant = newTenant();
    await join(tenant, 'any1', { time_control: '10+5' });
    const eu = await join(tenant, 'eu2', { time_control: '10+5', region: 'EU' });
    const matched = await untilStatus(tenant, 'eu2', eu.queue_entry_id, 'MATCHED', 3000);
    expect(matched.opponent.user_id).toBe('any1');
  });

  it('does not pair the same two players again within the rematch cooldown', async () => {
    const tenant = newTenant();
    const a1 = await join(tenant, 'rex', { time_control: '2+1' });
    await join(tenant, 'sam', { time_control: '2+1' });
    const first = await untilStatus(tenant, 'rex', a1.queue_entry_id, 'MATCHED');
    const a2 = await join(tenant, 'rex', { time_control: '2+1' });
    const b2 = await join(tenant, 'sam', { time_control: '2+1' });
    await stillSearchingAfter(1000, tenant, ['rex', a2.queue_entry_id], ['sam', b2.queue_entry_id]);
    const second = await untilStatus(tenant, 'rex', a2.queue_entry_id, 'MATCHED', 8000);
    expect(second.match_id).not.toBe(first.match_id);
  });

  it('keeps the rematch cooldown in a pool too big to probe user by user, for created and failed matches', async () => {
    const tenant = newTenant();
    await insertMatch(t.db, { tenant, white: 'rex', black: 'sam', timeControl: '3+2' });
    // failed just now, created long before the cooldown: only its failed_at keeps the two apart
    const failed = await insertMatch(t.db, {
      tenant,
      white: 'amy',
      black: 'bob',
      timeControl: '3+2',
      status: 'FAILED',
      createdAgoSeconds: 3600,
    });
    await t.db.query(`UPDATE matches SET failed_at = now() WHERE id = $1`, [failed.matchId]);
    for (const user of ['amy', 'bob']) await setRating(tenant, user, 'blitz', 3000);
    const joined: [string, string][] = [];
    for (const user of ['rex', 'sam', 'amy', 'bob']) {
      joined.push([user, (await join(tenant, user, { time_control: '3+2' })).queue_entry_id]);
    }
    // players nobody can pair (ratings far beyond any window), enough for the tick to read the tenant's whole window
    await t.db.query(
      `INSERT INTO queue_entries (id, tenant_id, user_id, pool_key, time_control, mode, variant, category, rating,
         status, enqueued_at, expires_at)
       SELECT 'qfar' || g || e.id, e.tenant_id, 'far' || g, e.pool_key, e.time_control, e.mode, e.variant, e.category,
              100000 + g * 10000, 'SEARCHING', now(), now() + interval '1 hour'
       FROM queue_entries e, generate_series(1, $2::int) g WHERE e.id = $1`,
      [joined[0][1], COOLDOWN_PROBE_MAX_USERS],
    );
    await stillSearchingAfter(1000, tenant, ...joined);
    const rex = await untilStatus(tenant, 'rex', joined[0][1], 'MATCHED', 8000);
    const amy = await untilStatus(tenant, 'amy', joined[2][1], 'MATCHED', 8000);
    expect([rex.opponent.user_id, amy.opponent.user_id]).toEqual(['sam', 'bob']);
  });

  it('claims a pair with colours and opponents, and leaves the partner of a player who just cancelled waiting', async () => {
    const tenant = newTenant();
    // entries written without a join, ratings far apart: no tick of this pool pairs them behind the test's back
    await insertSearching(t.db, tenant, 'qc', '4+0', [
      { user: 'cat', rating: 1000 },
      { user: 'dan', rating: 5000 },
      { user: 'eve', rating: 9000 },
      { user: 'fox', rating: 13000 },
    ]);
    await t.db.query(`UPDATE queue_entries SET status = 'CANCELLED' WHERE id = $1`, [`qc_${tenant}_fox`]);
    const side = (user: string, rating: number) => ({
      entryId: `qc_${tenant}_${user}`,
      userId: user,
      username: user.toUpperCase(),
      rating,
      waitMs: 10,
    });
    const pool = { tenantId: tenant, poolKey: 'standard_4+0_rated', timeControl: '4+0', mode: 'rated' };
    const created = await t.app.get(PairingRepository).claim({ ...pool, variant: 'standard', category: 'blitz' }, [
      { white: side('cat', 1000), black: side('dan', 5000), region: null, requestId: null },
      { white: side('eve', 9000), black: side('fox', 13000), region: null, requestId: null },
    ]);
    expect(created.map((m) => [m.whiteUserId, m.blackUserId])).toEqual([['cat', 'dan']]);
    const rows = await t.db.query<
      { user_id: string; status: string; match_id: string | null; color: string | null; opponent: unknown }[]
    >(`SELECT user_id, status, match_id, color, opponent FROM queue_entries WHERE tenant_id = $1 ORDER BY user_id`, [
      tenant,
    ]);
    const snapshot = (user: string, rating: number) => ({
      user_id: user,
      username: user.toUpperCase(),
      rating_snapshot: { time_control: '4+0', mode: 'rated', rating },
    });
    expect(rows).toEqual([
      { user_id: 'cat', status: 'MATCHING', match_id: created[0].id, color: 'white', opponent: snapshot('dan', 5000) },
      { user_id: 'dan', status: 'MATCHING', match_id: created[0].id, color: 'black', opponent: snapshot('cat', 1000) },
      { user_id: 'eve', status: 'SEARCHING', match_id: null, color: null, opponent: null },
      { user_id: 'fox', status: 'CANCELLED', match_id: null, color: null, opponent: null },
    ]);
  });

  it('gives white to the player who had white less often', async () => {
    const tenant = newTenant();
    const a = await join(tenant, 'uma', { time_control: '1+0' });
    await join(tenant, 'vic', { time_control: '1+0' });
    const first = await untilStatus(tenant, 'uma', a.queue_entry_id, 'MATCHED');
    const hadWhite = first.color === 'white' ? 'uma' : 'vic';
    const again = await join(tenant, hadWhite, { time_control: '1+0' });
    await join(tenant, 'wes', { time_control: '1+0' });
    const second = await untilStatus(tenant, hadWhite, again.queue_entry_id, 'MATCHED');
    expect(second.opponent.user_id).toBe('wes');
    expect(second.color).toBe('black');
  });
});
