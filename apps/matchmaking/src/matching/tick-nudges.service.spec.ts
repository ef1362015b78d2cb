import { loadConfig } from '@app/config';
import type { JobSchedulesRepository, PoolRef } from '../jobs/job-schedules.repository';
import type { SearchingPools } from './searching-pools';
import type { ShardTickerService } from './shard-ticker.service';
import { TickNudgesService } from './tick-nudges.service';

const pool = (tenantId: string): PoolRef => ({ tenantId, poolKey: 'standard_3+2_rated' });

/** Nudges in a set as Redis keeps them; shards 'busy' are held by a run; 'big' pools are kept in memory. */
function nudges(o: { nudged: PoolRef[]; busy?: number[]; big?: string[] }) {
  const set = new Map(o.nudged.map((p) => [p.tenantId, p]));
  const ticked: Array<[number, string[]]> = [];
  const shardOf = (p: PoolRef) => Number(p.tenantId.slice(1)) % 2;
  const schedules = {
    shardOf,
    takeNudges: async () => {
      const taken = [...set.values()];
      set.clear();
      return taken;
    },
    addNudges: async (pools: PoolRef[]) => pools.forEach((p) => set.set(p.tenantId, p)),
  } as unknown as JobSchedulesRepository;
  const ticker = {
    tickNudged: async (shard: number, pools: PoolRef[]) => {
      if (o.busy?.includes(shard)) return false;
      ticked.push([shard, pools.map((p) => p.tenantId)]);
      return true;
    },
  } as unknown as ShardTickerService;
  const searching = { keeps: (p: PoolRef) => o.big?.includes(p.tenantId) ?? false } as unknown as SearchingPools;
  const config = loadConfig({ JWT_SECRET: 'a-secret-of-sixteen-chars' });
  return { service: new TickNudgesService(schedules, ticker, searching, config), set, ticked };
}

describe('TickNudgesService.poll', () => {
  it('ticks the nudged pools once each, grouped by shard', async () => {
    const { service, set, ticked } = nudges({ nudged: [pool('t1'), pool('t2'), pool('t3')] });
    expect(await service.poll()).toBe(3);
    expect(ticked.sort()).toEqual([
      [0, ['t2']],
      [1, ['t1', 't3']],
    ]);
    expect(set.size).toBe(0);
  });

  it('keeps the nudges of a shard a run holds for the next poll, and leaves big pools to their shard', async () => {
    const { service, set, ticked } = nudges({ nudged: [pool('t1'), pool('t2'), pool('t4')], busy: [0], big: ['t1'] });
    expect(await service.poll()).toBe(0);
    expect(ticked).toEqual([]);
    expect([...set.keys()].sort()).toEqual(['t2', 't4']);
  });
});
