import { readFile } from 'fs/promises';
import { loadConfig } from '@app/config';
import { envInt, log, scratchStores, scoped, SERVICE_MAIN, sleep, startNode } from '../support/harness';
import { serviceEnv } from '../http/targets';
import { fmt } from '../http/report';
import { PgCpu } from '../pg-cpu';
import { apart, seedPairsOfStrangers } from './seed';

/**
 * Many pools (SPEC §11: one worker keeps ≥ 2,000 active pools ticking at MATCH_TICK_MS=1000): N pools of
 * two players too far apart to pair, one ROLE=worker process (which restores a tick scheduler per pool
 * from PostgreSQL at start), and the ticks it actually ran per second, from its /metrics, against N.
 *
 * Env: BENCH_POOLS (500,2000,4000), BENCH_POOLS_S (20 measured seconds, after BENCH_POOLS_WARMUP_S=5),
 * BENCH_POOLS_NODE_ARGS (node flags for the worker, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */

const TICK_MS = 1000;
/** /proc reports CPU in clock ticks of 10 ms. */
const CLK_TCK = 100;

interface PoolsRow {
  pools: number;
  ticksPerS: number;
  onTime: number;
  meanTickMs: number;
  workerCpu: number;
  pgCpuMsPerTick: number;
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

async function processTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measure(pools: number, measureS: number, warmupS: number): Promise<PoolsRow> {
  return scoped(async () => {
    const scratch = await scratchStores('pools');
    const env = serviceEnv(scratch, { ROLE: 'worker', MATCH_TICK_MS: String(TICK_MS) });
    await seedPairsOfStrangers(scratch.pg, pools, apart(loadConfig(env).matching.windowMax));
    await scratch.pg.query('ANALYZE queue_entries');
    log(`  ${pools} pools: starting the worker (it restores ${pools} tick schedulers)…`);
    const worker = await startNode('matchmaking-worker', SERVICE_MAIN, env, {
      args: (process.env.BENCH_POOLS_NODE_ARGS ?? '').split(' ').filter(Boolean),
      timeoutMs: 180_000,
    });
    await sleep(warmupS * 1000);
    const cpu = new PgCpu(scratch.pg, scratch.databaseName);
    const [m0, c0, p0] = [await tickTotals(worker.url), await processTicks(worker.child.pid!), await cpu.snapshot()];
    const started = performance.now();
    log(`  ${pools} pools: measuring ${measureS} s`);
    await sleep(measureS * 1000);
    const [m1, c1, p1] = [await tickTotals(worker.url), await processTicks(worker.child.pid!), await cpu.snapshot()];
    const elapsedS = (performance.now() - started) / 1000;
    const ticks = m1.count - m0.count;
    const ticksPerS = ticks / elapsedS;
    return {
      pools,
      ticksPerS,
      onTime: ticksPerS / (pools * (1000 / TICK_MS)),
      meanTickMs: ticks ? ((m1.sum - m0.sum) * 1000) / ticks : NaN,
      workerCpu: (c1 - c0) / CLK_TCK / elapsedS,
      pgCpuMsPerTick: ticks ? PgCpu.cpuMs(p0, p1) / ticks : NaN,
    };
  });
}

export async function runPoolsBench(): Promise<void> {
  const counts = (process.env.BENCH_POOLS ?? '500,2000,4000').split(',').map(Number);
  const measureS = envInt('BENCH_POOLS_S', 20);
  const warmupS = envInt('BENCH_POOLS_WARMUP_S', 5);
  const rows: PoolsRow[] = [];
  for (const n of counts) {
    const row = await measure(n, measureS, warmupS);
    log(`  ${n} pools: ${fmt(row.ticksPerS)} ticks/s`);
    rows.push(row);
  }
  console.log(`One ROLE=worker process, MATCH_TICK_MS=${TICK_MS}, ${measureS} s after ${warmupS} s warm-up.\n`);
  console.log(
    '| active pools | ticks/s run | share of due ticks | mean tick ms | worker CPU (cores) | PG CPU ms/tick |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${fmt(r.pools)} | ${fmt(r.ticksPerS)} | ${fmt(r.onTime * 100, 1)} % | ${fmt(r.meanTickMs, 2)} | ` +
        `${fmt(r.workerCpu, 2)} | ${fmt(r.pgCpuMsPerTick, 3)} |`,
    );
  }
  const kept = rows.filter((r) => r.onTime >= 0.95).map((r) => r.pools);
  const best = kept.length ? Math.max(...kept) : 0;
  console.log(
    `\nSPEC §11 ≥ 2,000 active pools ticking at 1 s: ${best >= 2000 ? 'met' : 'NOT met'} ` +
      `(largest N with ≥ 95 % of due ticks run: ${best ? fmt(best) : 'none measured'})`,
  );
}
