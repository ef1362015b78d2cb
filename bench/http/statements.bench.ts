import { Pool, QueryConfig } from 'pg';
import { Database } from '@app/persistence';
import { QueueRepository } from '../../apps/matchmaking/src/queue/queue.repository';
import { envInt, log, scoped, scratchStores } from '../support/harness';
import { PgCpu } from '../pg-cpu';
import { fmt } from './report';

/**
 * The effect of the named (prepared) statements (issue item 2): the service's own QueueRepository
 * runs its join and status read against the bench database, once as shipped and once through a pool
 * that drops the statement names (so PostgreSQL parses and plans every call), with the PostgreSQL CPU
 * per statement from /proc of the backends. Env: BENCH_STATEMENTS (3000 per row), BENCH_STATEMENT_CLIENTS (8).
 */

interface StatementRow {
  statement: string;
  prepared: boolean;
  perS: number;
  pgCpuMs: number;
}

/** A pool whose queries lose their names: the same SQL, unprepared. */
function unnamed(pool: Pool): Pool {
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return (config: QueryConfig) => target.query({ text: config.text, values: config.values });
    },
  });
}

const join = (i: number, tag: string) => ({
  tenantId: 'default',
  userId: `stmt-${tag}-${i}`,
  username: null,
  poolKey: 'standard_5+0_rated',
  timeControl: '5+0',
  mode: 'rated',
  variant: 'standard',
  category: 'blitz',
  region: i % 5 ? 'EU' : null,
  timeoutSeconds: 86_400,
  clientMetadata: null,
  requestId: null,
  nearWindow: 100,
  refuseDuringGame: false,
});

async function run(
  cpu: PgCpu,
  clients: number,
  count: number,
  work: (i: number) => Promise<unknown>,
): Promise<{ perS: number; pgCpuMs: number }> {
  let next = 0;
  const before = await cpu.snapshot();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { perS: count / elapsed, pgCpuMs: PgCpu.cpuMs(before, await cpu.snapshot()) / count };
}

export async function runStatementsBench(): Promise<void> {
  const count = envInt('BENCH_STATEMENTS', 3000);
  const clients = envInt('BENCH_STATEMENT_CLIENTS', 8);
  const rows = await scoped(async () => {
    const scratch = await scratchStores('stmt');
    const pool = new Pool({ connectionString: scratch.databaseUrl, max: clients });
    const cpu = new PgCpu(scratch.pg, scratch.databaseName);
    const out: StatementRow[] = [];
    try {
      // connections open before measuring, so only statements are counted
      await Promise.all(Array.from({ length: clients }, () => pool.query('SELECT 1')));
      const ids: Array<[id: string, userId: string]> = [];
      for (const prepared of [true, false, true, false]) {
        const tag = `${out.length}`;
        const repo = new QueueRepository(new Database(prepared ? pool : unnamed(pool)));
        log(`  join ${prepared ? 'prepared' : 'unprepared'}: ${count}`);
        const j = await run(cpu, clients, count, async (i) => {
          const r = await repo.insertSearching(join(i, tag), 1, 31);
          if ('entry' in r && ids.length < count) ids.push([r.entry.id, r.entry.userId]);
        });
        out.push({ statement: 'join (INSERT … RETURNING)', prepared, ...j });
        log(`  status read ${prepared ? 'prepared' : 'unprepared'}: ${count}`);
        const s = await run(cpu, clients, count, (i) => {
          const [id, userId] = ids[i % ids.length];
          return repo.findForUser('default', userId, id);
        });
        out.push({ statement: 'status read (PK SELECT)', prepared, ...s });
      }
    } finally {
      await pool.end();
    }
    return out;
  });
  console.log(`${count} statements per row over ${clients} connections; each pair of rows measured twice.\n`);
  console.log('| statement | prepared | statements/s | PG CPU ms/statement |');
  console.log('|---|---|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.statement} | ${r.prepared ? 'yes' : 'no'} | ${fmt(r.perS)} | ${fmt(r.pgCpuMs, 3)} |`);
  }
}
