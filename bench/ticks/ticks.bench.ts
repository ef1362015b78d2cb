import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { envInt, log, scratchStores, scoped } from '../support/harness';
import { serviceEnv } from '../http/targets';
import { fmt } from '../http/report';
import { apart, BENCH_TENANT, emptyTables, POOL_KEY, seedPool, TEAM_FORMAT, TEAM_POOL_KEY, waitsBetween } from './seed';
import { openTickContext, Stage, STAGES, TickContext } from './tick-context';

/**
 * Ticks at scale (SPEC §11: < 1 s end to end at 100,000 waiting players in one pool, O(n log n)):
 * the service's MatchingService.tick, in process, on a pool seeded with SQL.
 *
 * - steady: n players whose ratings are further apart than any window, so none can pair, plus
 *   BENCH_TICK_ARRIVALS newcomers before each tick who each fit one of them: a few pairs per tick. The n
 *   waited 1–6 minutes (windows from 250 points to the widest), so a pool kept in memory
 *   (MATCH_POOL_CACHE_MIN) reads only the newcomers and the last ticks' claims; "steady, whole reads" is
 *   the same pool with the cache off, every tick reading it all;
 * - burst: n players with ratings ~N(1500, 300) who all arrive at once, so nearly all pair in one tick;
 *   "burst, mixed waits": the same ratings, but having waited 0–5 minutes (windows 100–500 points), as a
 *   pool that was not ticked for a while (a worker restart) would be.
 *
 * Env: BENCH_TICK_SIZES (10000,100000), BENCH_TICK_ROUNDS (5, after one warm-up), BENCH_TICK_ARRIVALS (100).
 */

interface TickRow {
  scenario: string;
  n: number;
  waiting: number;
  pairs: number;
  totalMs: number;
  matchMs: number;
  stages: Record<Stage, number>;
  claimStatements: string;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const POOL = { tenantId: BENCH_TENANT, poolKey: POOL_KEY };
const TEAM_POOL = { tenantId: BENCH_TENANT, poolKey: TEAM_POOL_KEY };
const NORMAL_RATING = `greatest(0, 1500 + 300 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))`;

async function tickOnce(
  ctx: TickContext,
  scenario: string,
  n: number,
  service = ctx.matching,
  pool = POOL,
): Promise<TickRow> {
  ctx.reset();
  const out = await service.tick(pool);
  if (out.skipped) throw new Error(`tick skipped (${out.skipped})`);
  return {
    scenario,
    n,
    waiting: out.waiting,
    pairs: out.claimed,
    totalMs: out.durationMs,
    matchMs: out.matchMs,
    stages: { ...ctx.stages },
    claimStatements: [...ctx.claimStatements].map(([k, ms]) => `${k} ${fmt(ms)} ms`).join('; '),
  };
}

/** n players ~N(1500, 300) in a pool of its own (1v1, or 2v2 solo tickets). */
async function seedBurst(ctx: TickContext, pg: Client, n: number, ageS?: string, format = '1v1'): Promise<void> {
  await emptyTables(pg);
  const pool = format === '1v1' ? POOL_KEY : TEAM_POOL_KEY;
  await seedPool(pg, { pool, format, users: 'burst', count: n, rating: NORMAL_RATING, ageS });
  await pg.query('ANALYZE queue_entries');
  ctx.forgetPools();
}

/**
 * A burst as shipped (at most MATCH_MAX_PAIRS_PER_TICK pairs a tick): its first tick, then ticks until
 * nobody more pairs (`drain`: their sum, ticks back to back).
 */
async function drainBurst(
  ctx: TickContext,
  pg: Client,
  n: number,
  scenario: string,
  o: { ageS?: string; format?: string } = {},
): Promise<TickRow> {
  await seedBurst(ctx, pg, n, o.ageS, o.format);
  const pool = o.format && o.format !== '1v1' ? TEAM_POOL : POOL;
  const [unit, seats] = pool === POOL ? ['pairs', 2] : ['matches', 2 * Number(TEAM_FORMAT[0])];
  const first = await tickOnce(ctx, scenario, n, ctx.matching, pool);
  log(`  ${scenario} n=${n}: ${fmt(first.totalMs, 1)} ms, ${first.pairs} ${unit}`);
  const drain = { ticks: 1, ms: first.totalMs, pairs: first.pairs, maxMs: first.totalMs, each: [first.totalMs] };
  const reads: number[] = [];
  const ticks = [`${fmt(first.totalMs)}/${first.pairs}`];
  // until a tick pairs nobody, or nobody is left to pair (an empty pool's tick is skipped)
  for (
    let last = first;
    last.pairs > 0 && last.waiting - seats * last.pairs >= seats && drain.ticks < 1000;
    drain.ticks++
  ) {
    last = await tickOnce(ctx, scenario, n, ctx.matching, pool);
    Object.assign(drain, { ms: drain.ms + last.totalMs, pairs: drain.pairs + last.pairs });
    drain.maxMs = Math.max(drain.maxMs, last.totalMs);
    drain.each.push(last.totalMs);
    reads.push(last.stages.read);
    const slow =
      last.totalMs < 1000
        ? ''
        : ` (read ${fmt(last.stages.read)}, cooldown ${fmt(last.stages.cooldown)}, colours ${fmt(last.stages.colours)}, match ${fmt(last.matchMs)}, claim ${fmt(last.stages.claim)}, enqueue ${fmt(last.stages.enqueue)})`;
    ticks.push(`${fmt(last.totalMs)}/${last.pairs}${slow}`);
  }
  log(`  ${scenario} n=${n} drained, each tick's ms/${unit}: ${ticks.join(' ')}`);
  drains.push(
    `${scenario} ${fmt(n)}: ${fmt(drain.pairs)} ${unit} in ${drain.ticks} ticks, ` +
      `${fmt(drain.ms)} ms of ticks in all, median ${fmt(median(drain.each))} ms, the longest ${fmt(drain.maxMs)} ms; ` +
      `the read of the ticks after the first: median ${fmt(median(reads))} ms, the longest ${fmt(Math.max(...reads))} ms`,
  );
  return first;
}

/** Both bursts drained as shipped; then the burst of players arriving at once claimed in one tick. */
async function burstRows(ctx: TickContext, pg: Client, n: number): Promise<TickRow[]> {
  const first = await drainBurst(ctx, pg, n, 'burst');
  const mixed = await drainBurst(ctx, pg, n, 'burst, mixed waits', { ageS: waitsBetween(0, 300) });
  await seedBurst(ctx, pg, n);
  const whole = await tickOnce(ctx, 'burst, one tick', n, ctx.uncapped);
  log(`  burst n=${n} in one tick: ${fmt(whole.totalMs, 1)} ms, ${whole.pairs} pairs`);
  return [first, mixed, whole];
}

const drains: string[] = [];

/**
 * A 2v2 pool of n solo tickets: steady (ratings apart, waits of 1–6 minutes, BENCH_TICK_ARRIVALS/4 groups of
 * 4 newcomers before each tick, each group one match), then a burst (ratings ~N(1500, 300), all at once).
 */
async function teamRows(ctx: TickContext, pg: Client, n: number, gap: number, rounds: number): Promise<TickRow[]> {
  const team = { pool: TEAM_POOL_KEY, format: TEAM_FORMAT };
  const groups = Math.max(1, Math.floor(envInt('BENCH_TICK_ARRIVALS', 100) / 4));
  await emptyTables(pg);
  await seedPool(pg, { ...team, users: 'tfar', count: n, rating: `g * ${gap}`, ageS: waitsBetween(60, 360) });
  await pg.query('ANALYZE queue_entries');
  const steady: TickRow[] = [];
  for (let k = 0; k <= rounds; k++) {
    // newcomers 4j+1…4j+4 of this round sit 1–4 points above the group's base, 2 gaps above any far player
    const base = `((${k * groups} + (g - 1) / 4) * ${gap} + ${n * gap + 2 * gap})`;
    await seedPool(pg, {
      ...team,
      users: 'tnew',
      first: k * 4 * groups,
      count: 4 * groups,
      rating: `${base} + (g - 1) % 4`,
    });
    const row = await tickOnce(ctx, `${TEAM_FORMAT} steady`, n, ctx.matching, TEAM_POOL);
    log(`  ${TEAM_FORMAT} steady n=${n} round ${k}: ${fmt(row.totalMs, 1)} ms, ${row.pairs} matches`);
    if (k > 0) steady.push(row);
  }
  const burst = await drainBurst(ctx, pg, n, `${TEAM_FORMAT} burst`, { format: TEAM_FORMAT });
  return [medianRow(steady), burst];
}

function medianRow(rows: TickRow[]): TickRow {
  const pick = (f: (r: TickRow) => number) => median(rows.map(f));
  return {
    ...rows[0],
    waiting: pick((r) => r.waiting),
    pairs: pick((r) => r.pairs),
    totalMs: pick((r) => r.totalMs),
    matchMs: pick((r) => r.matchMs),
    stages: Object.fromEntries(STAGES.map((s) => [s, pick((r) => r.stages[s])])) as Record<Stage, number>,
  };
}

export async function runTicksBench(): Promise<void> {
  const sizes = (process.env.BENCH_TICK_SIZES ?? '10000,100000').split(',').map(Number);
  const rounds = envInt('BENCH_TICK_ROUNDS', 5);
  const arrivals = envInt('BENCH_TICK_ARRIVALS', 100);
  const rows = await scoped(async () => {
    const scratch = await scratchStores('ticks');
    const env = serviceEnv(scratch);
    const gap = apart(loadConfig({ ...env, ROLE: 'api' }).matching.windowMax);
    const ctx = await openTickContext(env);
    const out: TickRow[] = [];
    try {
      for (const n of sizes) {
        await emptyTables(scratch.pg);
        // waiting for a minute or more already: no longer among the changes a tick reads
        const far = { users: 'far', count: n, rating: `g * ${gap}`, ageS: waitsBetween(60, 360) };
        await seedPool(scratch.pg, { pool: POOL_KEY, ...far });
        await scratch.pg.query('ANALYZE queue_entries');
        ctx.forgetPools();
        let round = 0;
        for (const [scenario, service] of [
          ['steady', ctx.matching],
          ['steady, whole reads', ctx.wholeReads],
        ] as const) {
          const steady: TickRow[] = [];
          for (let k = 0; k <= rounds; k++, round++) {
            const first = round * arrivals;
            // newcomer g sits 1 point above far player first + g, who is still waiting
            await seedPool(scratch.pg, {
              pool: POOL_KEY,
              users: 'new',
              first,
              count: arrivals,
              rating: `(${first} + g) * ${gap} + 1`,
            });
            const row = await tickOnce(ctx, scenario, n, service);
            log(`  ${scenario} n=${n} round ${k}: ${fmt(row.totalMs, 1)} ms, ${row.pairs} pairs`);
            if (k > 0) steady.push(row);
          }
          out.push(medianRow(steady));
        }

        out.push(...(await burstRows(ctx, scratch.pg, n)));
        out.push(...(await teamRows(ctx, scratch.pg, n, gap, rounds)));
      }
    } finally {
      await ctx.close();
    }
    return out;
  });
  printTicks(rows, rounds);
}

function printTicks(rows: TickRow[], rounds: number): void {
  console.log(`Steady: median of ${rounds} ticks after a warm-up; burst: one tick. Stage columns in ms.\n`);
  console.log(
    '| scenario | waiting | pairs | tick ms | µs/player | read | cooldown | match | colours | claim | enqueue | publish | other |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const staged = STAGES.reduce((a, s) => a + r.stages[s], 0) + r.matchMs;
    const st = (s: Stage) => fmt(r.stages[s], 1);
    console.log(
      `| ${r.scenario} | ${fmt(r.waiting)} | ${fmt(r.pairs)} | ${fmt(r.totalMs, 1)} | ${fmt((r.totalMs * 1000) / r.waiting, 2)} | ` +
        `${st('read')} | ${st('cooldown')} | ${fmt(r.matchMs, 1)} | ${st('colours')} | ${st('claim')} | ` +
        `${st('enqueue')} | ${st('publish')} | ${fmt(r.totalMs - staged, 1)} |`,
    );
  }
  console.log('\nBursts drained at MATCH_MAX_PAIRS_PER_TICK:');
  for (const d of drains.splice(0)) console.log(`- ${d}`);
  console.log('\nInside transactions (the claim; the colour read):');
  for (const r of rows) console.log(`- ${r.scenario} ${fmt(r.n)}: ${r.claimStatements || 'no claim'}`);
  const steady = rows.filter((r) => r.scenario === 'steady').sort((a, b) => a.n - b.n);
  if (steady.length >= 2) {
    const [lo, hi] = [steady[0], steady[steady.length - 1]];
    const growth = hi.totalMs / lo.totalMs;
    const nlogn = (hi.n * Math.log(hi.n)) / (lo.n * Math.log(lo.n));
    console.log(
      `\nSteady growth ${fmt(lo.n)} → ${fmt(hi.n)}: ×${fmt(growth, 1)} (n: ×${fmt(hi.n / lo.n, 1)}, n log n: ×${fmt(nlogn, 1)})`,
    );
  }
  const at100k = rows.filter((r) => r.n >= 100_000);
  for (const r of at100k) {
    console.log(
      `SPEC §11 tick end to end < 1 s at ${fmt(r.n)} (${r.scenario}): ${r.totalMs < 1000 ? 'met' : 'NOT met'} (${fmt(r.totalMs)} ms)`,
    );
  }
}
