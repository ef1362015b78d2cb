import { TeamPairingRepository } from '../apps/matchmaking/src/matching/team-pairing.repository';
import { MATCHING_ENV } from './support/fixtures';
import { playerApi } from './support/api';
import { storeRating } from './support/parties';
import { useStubbedService } from './support/stub';
import { tenantIds, TestApp } from './support/test-app';

const newTenant = tenantIds('tc');

/** The team tick's claim (SPEC §12) when a ticket it planned with was cancelled between its read and its claim. */
describe('team claim', () => {
  let t: TestApp;
  const service = useStubbedService({ ...MATCHING_ENV, RATING_WINDOW_MAX: '400' }, (started) => ({ t } = started));
  const players = playerApi(service, { named: true });

  it('makes no match without every ticket, and puts the tickets it took back to SEARCHING', async () => {
    const tenant = newTenant();
    // ratings far apart: no tick of this pool pairs them behind the test's back
    const ratings: Record<string, number> = { ca: 1000, cb: 5000, cc: 9000, cd: 13000 };
    const ids: Record<string, string> = {};
    for (const [user, rating] of Object.entries(ratings)) {
      await storeRating(t.db, tenant, user, 'team_blitz', rating);
      ids[user] = (await players.join(tenant, user, { time_control: '3+0', format: '2v2' })).queue_entry_id;
    }
    // cd cancels after the tick read the pool and before it claims
    await t.db.query(`UPDATE queue_entries SET status = 'CANCELLED' WHERE id = $1`, [ids.cd]);
    const seat = (user: string, board: number, color: 'white' | 'black') => ({
      userId: user,
      rating: ratings[user],
      board,
      color,
      ticketId: ids[user],
      waitMs: 10,
    });
    const planned = {
      ...{ tenantId: tenant, poolKey: 'standard_3+0_rated_2v2', format: '2v2', timeControl: '3+0', mode: 'rated' },
      ...{ variant: 'standard', category: 'blitz', region: null, latestTicketId: ids.cd },
      teams: [
        { team: 'a' as const, rating: 7000, players: [seat('cd', 1, 'white'), seat('ca', 2, 'black')] },
        { team: 'b' as const, rating: 7000, players: [seat('cc', 1, 'black'), seat('cb', 2, 'white')] },
      ],
    };

    expect(await t.app.get(TeamPairingRepository).claim(tenant, [planned])).toEqual([]);
    const rows = await t.db.query(`SELECT user_id, status FROM queue_entries WHERE tenant_id = $1 ORDER BY user_id`, [
      tenant,
    ]);
    expect(rows).toEqual([
      { user_id: 'ca', status: 'SEARCHING' },
      { user_id: 'cb', status: 'SEARCHING' },
      { user_id: 'cc', status: 'SEARCHING' },
      { user_id: 'cd', status: 'CANCELLED' },
    ]);
    const [matches] = await t.db.query(`SELECT count(*)::int AS n FROM matches WHERE tenant_id = $1`, [tenant]);
    expect(matches.n).toBe(0);
  });
});
