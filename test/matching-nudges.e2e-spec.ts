import { MATCHING_ENV } from './support/fixtures';
import { playerApi } from './support/api';
import { useStubbedService } from './support/stub';
import { sleep, tenantIds } from './support/test-app';

const newTenant = tenantIds('nu');

/**
 * A join nudges its pool's tick (MATCH_NUDGE_MS): a player who joins next to a compatible one is paired
 * without waiting for the shard's next run. The ticks here are 60 s apart, so only a nudge pairs anyone
 * within the test.
 */
describe('a join ticks its pool ahead of the shard', () => {
  const { join, entry, untilStatus } = playerApi(
    useStubbedService({ ...MATCHING_ENV, MATCH_TICK_MS: '60000', MATCH_NUDGE_MS: '50' }, () => undefined),
    { named: true },
  );
  const until = (tenant: string, user: string, id: string, status: string) =>
    untilStatus(tenant, user, id, status, 10_000);

  it('pairs a newcomer with the player who waits, and creates their game, long before the next tick', async () => {
    const tenant = newTenant();
    const ann = await join(tenant, 'ann', { time_control: '3+2' });
    // the pool's first scheduled tick, if any, has come and gone with ann alone
    await sleep(500);
    expect((await entry(tenant, 'ann', ann.queue_entry_id)).status).toBe('SEARCHING');
    const ben = await join(tenant, 'ben', { time_control: '3+2' });
    const matched = await until(tenant, 'ben', ben.queue_entry_id, 'MATCHED');
    expect(matched.opponent.user_id).toBe('ann');
    expect((await entry(tenant, 'ann', ann.queue_entry_id)).game_id).toBe(matched.game_id);
  });

  it('pairs the players of many pools joined at once, each pool with its own', async () => {
    const tenants = [newTenant(), newTenant(), newTenant()];
    const joined = await Promise.all(
      tenants.flatMap((tenant) =>
        ['cid', 'dee'].map(async (user) => ({
          tenant,
          user,
          id: (await join(tenant, user, { time_control: '5+0' })).queue_entry_id,
        })),
      ),
    );
    for (const j of joined) {
      const e = await until(j.tenant, j.user, j.id, 'MATCHED');
      expect(e.opponent.user_id).toBe(j.user === 'cid' ? 'dee' : 'cid');
    }
  });
});
