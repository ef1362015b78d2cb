import { loadConfig } from '@app/config';
import Redis from 'ioredis';
import { envInt, log, REDIS_URL, scratchStores, scoped, SERVICE_MAIN, sleep, startNode } from '../support/harness';
import { serviceEnv } from '../http/targets';
import { fmt } from '../http/report';
import { PgCpu, processCpuMs } from '../pg-cpu';
import { apart, seedPairsOfStrangers } from './seed';

/**
 * Many pools (SPEC §11: one worker keeps ≥ 2,000 active pools ticking at MATCH_TICK_MS=1000): N pools of
 * two players too far apart to pair, one ROLE=worker process (which puts the pools back in their tick
 * shards from PostgreSQL at start), and the pool ticks it actually ran per second, from its /metrics, against N.
 *
 * Env: BENCH_POOLS (500,2000,4000), BENCH_POOLS_CONCURRENCY (32: extra rows at 2,000 pools), BENCH_POOLS_S (20 measured seconds, after BENCH_POOLS_WARMUP_S=5),
 * BENCH_POOLS_NODE_ARGS (node flags for the worker, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */

const TICK_MS = 1000;

interface PoolsRow {
  pools: number;
  concurrency: string;
  ticksPerS: number;
  onTime: number;
  meanTickMs: number;
  workerCpu: number;
  /** the whole Redis server's CPU (other clients of a shared Redis included) */
  redisCpu: number;
  pgCpuMsPerTick: number;
}

async function redisCpuS(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_sys') + field('used_cpu_user');
}

async function tickTotals(url: string): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return {
    count: value('matchmaking_tick_duration_seconds_count'),
    sum: value('matchmaking_tick_duration_seconds_sum'),
  };
}

async function measure(pools: number, concurrency: string, measureS: number, warmupS: number): Promise<PoolsRow> {
  return scoped(async () => {
    const scratch = await scratchStores('pools');
    const env = serviceEnv(scratch, {
      ROLE: 'worker',
      MATCH_TICK_MS: String(TICK_MS),
      ...(concurrency === 'default' ? {} : { MATCH_TICK_CONCURRENCY: concurrency }),
    });
    await seedPairsOfStrangers(scratch.pg, pools, apart(loadConfig(env).matching.windowMax));
    await scratch.pg.query('ANALYZE queue_entries');
    log(`  ${pools} pools: starting the worker (it restores the tick shards of ${pools} pools)…`);
    const worker = await startNode('matchmaking-worker', SERVICE_MAIN, env, {
      args: (process.env.BENCH_POOLS_NODE_ARGS ?? '').split(' ').filter(Boolean),
      timeoutMs: 180_000,
    });
    await sleep(warmupS * 1000);
    const cpu = new PgCpu(scratch.pg, scratch.databaseName);
    const redis = new Redis(REDIS_URL);
    const r0 = await redisCpuS(redis);
    const [m0, c0, p0] = [await tickTotals(worker.url), await processCpuMs(worker.child.pid!), await cpu.snapshot()];
    const started = performance.now();
    log(`  ${pools} pools: measuring ${measureS} s`);
    await sleep(measureS * 1000);
    const [m1, c1, p1] = [await tickTotals(worker.url), await processCpuMs(worker.child.pid!), await cpu.snapshot()];
    const r1 = await redisCpuS(redis);
    redis.disconnect();
    const elapsedS = (performance.now() - started) / 1000;
    const ticks = m1.count - m0.count;
    const ticksPerS = ticks / elapsedS;
    return {
      pools,
      concurrency: concurrency === 'default' ? `${loadConfig(env).tickConcurrency} (default)` : concurrency,
      ticksPerS,
      onTime: ticksPerS / (pools * (1000 / TICK_MS)),
      meanTickMs: ticks ? ((m1.sum - m0.sum) * 1000) / ticks : NaN,
      workerCpu: (c1 - c0) / 1000 / elapsedS,
      redisCpu: (r1 - r0) / elapsedS,
      pgCpuMsPerTick: ticks ? PgCpu.cpuMs(p0, p1) / ticks : NaN,
    };
  });
}

export async function runPoolsBench(): Promise<void> {
  const counts = (process.env.BENCH_POOLS ?? '500,2000,4000').split(',').map(Number);
  const measureS = envInt('BENCH_POOLS_S', 20);
  const warmupS = envInt('BENCH_POOLS_WARMUP_S', 5);
  // a higher tick concurrency at 2,000 pools shows whether the worker is bound by waiting or by work
  const extra = process.env.BENCH_POOLS_CONCURRENCY ?? '32';
  const runs: Array<[number, string]> = [
    ...counts.map((n): [number, string] => [n, 'default']),
    ...extra
      .split(',')
      .filter(Boolean)
      .map((c): [number, string] => [2000, c]),
  ];
  const rows: PoolsRow[] = [];
  for (const [n, concurrency] of runs) {
    const row = await measure(n, concurrency, measureS, warmupS);
    log(`  ${n} pools, concurrency ${row.concurrency}: ${fmt(row.ticksPerS)} ticks/s`);
    rows.push(row);
  }
  console.log(`One ROLE=worker process, MATCH_TICK_MS=${TICK_MS}, ${measureS} s after ${warmupS} s warm-up.\n`);
  console.log(
    '| active pools | MATCH_TICK_CONCURRENCY | ticks/s run | share of due ticks | mean tick ms | worker CPU (cores) | Redis CPU (cores) | PG CPU ms/tick |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${fmt(r.pools)} | ${r.concurrency} | ${fmt(r.ticksPerS)} | ${fmt(r.onTime * 100, 1)} % | ${fmt(r.meanTickMs, 2)} | ` +
        `${fmt(r.workerCpu, 2)} | ${fmt(r.redisCpu, 2)} | ${fmt(r.pgCpuMsPerTick, 3)} |`,
    );
  }
  const kept = rows.filter((r) => r.onTime >= 0.95 && r.concurrency.endsWith('(default)')).map((r) => r.pools);
  const best = kept.length ? Math.max(...kept) : 0;
  console.log(
    `\nSPEC §11 ≥ 2,000 active pools ticking at 1 s: ${best >= 2000 ? 'met' : 'NOT met'} ` +
      `(largest N with ≥ 95 % of due ticks run: ${best ? fmt(best) : 'none measured'})`,
  );
}
