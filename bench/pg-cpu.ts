import { readFile } from 'fs/promises';
import { Client } from 'pg';

/**
 * PostgreSQL CPU spent by the backends serving one database: utime + stime of every backend in
 * pg_stat_activity (read from /proc/<pid>/stat, so the bench must run on the database's host with
 * access to its processes), summed before and after a row. Needs no extension and no server change.
 */

/** Linux reports process times in clock ticks; 100 per second on every mainstream kernel. */
const CLK_TCK = 100;

async function ticksOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // the command may contain spaces and parentheses: fields are counted after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** CPU milliseconds a process (e.g. a child Node server) has used so far. */
export async function processCpuMs(pid: number): Promise<number> {
  return (((await ticksOf(pid)) ?? NaN) * 1000) / CLK_TCK;
}

export interface CpuSnapshot {
  ticks: Map<number, number>;
}

export class PgCpu {
  available = true;

  constructor(
    private readonly client: Client,
    private readonly database: string,
  ) {}

  async snapshot(): Promise<CpuSnapshot> {
    const { rows } = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      [this.database],
    );
    const ticks = new Map<number, number>();
    for (const { pid } of rows) {
      const t = await ticksOf(pid);
      if (t !== null) ticks.set(pid, t);
    }
    if (rows.length && !ticks.size) this.available = false;
    return { ticks };
  }

  /** CPU milliseconds between two snapshots; backends that appeared in between count from zero. */
  static cpuMs(before: CpuSnapshot, after: CpuSnapshot): number {
    let total = 0;
    for (const [pid, t] of after.ticks) total += t - (before.ticks.get(pid) ?? 0);
    return (total * 1000) / CLK_TCK;
  }

  /** Backends that appeared between two snapshots: connections a pool opened during the row. */
  static opened(before: CpuSnapshot, after: CpuSnapshot): number {
    let n = 0;
    for (const pid of after.ticks.keys()) if (!before.ticks.has(pid)) n++;
    return n;
  }
}
