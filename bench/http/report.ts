import { OpenLoopResult } from './open-loop';

/** The HTTP bench's tables and its verdict on SPEC §11, every figure next to its ceiling's. */

export interface ClosedRow {
  route: 'read' | 'join';
  target: 'raw' | 'nest' | 'service';
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  pgMsPerReq: number;
  /** CPU of the server process itself */
  nodeMsPerReq: number;
}

export interface OpenRow extends OpenLoopResult {
  route: 'read' | 'join';
  target: 'raw' | 'nest' | 'service';
  rate: number;
  pgMsPerReq: number;
  nodeMsPerReq: number;
}

/** SPEC §11 figures. */
const TARGET = {
  readShareOfNest: 0.9,
  readP99VsCeilingAt1000: 1.25,
  joinsPerS: 1000,
  joinP99At400Ms: 50,
  joinPgCpuMs: 0.5,
};

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const pct = (x: number) => (Number.isFinite(x) ? `${fmt(x * 100, 1)} %` : 'n/a');
const ROUTE = { read: 'GET /queue/{id}', join: 'POST /queue' };

export function printHttp(
  closed: ClosedRow[],
  open: OpenRow[],
  ctx: { durationS: number; connections: number; pgCpu: boolean },
): void {
  const ceiling = (route: string, target: string) => closed.find((r) => r.route === route && r.target === target);
  if (closed.length) {
    console.log(
      `\n# HTTP closed loop (autocannon, ${ctx.connections} connections, ${ctx.durationS} s after warm-up)\n`,
    );
    console.log(
      '| route | target | req/s | p50 ms | p99 ms | non-2xx | errors | share of Nest ceiling | share of raw | PG CPU ms/req | server CPU ms/req |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of closed) {
      const nest = ceiling(r.route, 'nest');
      const raw = ceiling(r.route, 'raw');
      console.log(
        `| ${ROUTE[r.route]} | ${r.target} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.non2xx)} | ` +
          `${fmt(r.errors)} | ${r.target === 'nest' ? '(ceiling)' : pct(nest ? r.rps / nest.rps : NaN)} | ` +
          `${r.target === 'raw' ? '(ceiling)' : pct(raw ? r.rps / raw.rps : NaN)} | ${fmt(r.pgMsPerReq, 3)} | ` +
          `${fmt(r.nodeMsPerReq, 3)} |`,
      );
    }
  }
  if (open.length) {
    console.log(
      `\n# HTTP open loop (Poisson arrivals, latency from the scheduled send time, ${ctx.durationS} s each after a warm-up at the same rate)\n`,
    );
    console.log(
      '| route | target | offered /s | done /s | p50 ms | p99 ms | p99.9 ms | p99 / ceiling p99 | non-2xx | errors | PG CPU ms/req | server CPU ms/req |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of open) {
      const c = open.find((o) => o.route === r.route && o.rate === r.rate && o.target === 'nest');
      console.log(
        `| ${ROUTE[r.route]} | ${r.target} | ${fmt(r.rate)} | ${fmt(r.done)} | ${fmt(r.p50, 1)} | ` +
          `${fmt(r.p99, 1)} | ${fmt(r.p999, 1)} | ${r.target === 'nest' ? '(ceiling)' : fmt(c ? r.p99 / c.p99 : NaN, 2) + '×'} | ` +
          `${fmt(r.non2xx)} | ${fmt(r.errors)} | ${fmt(r.pgMsPerReq, 3)} | ${fmt(r.nodeMsPerReq, 3)} |`,
      );
    }
  }
  if (!ctx.pgCpu) console.log('\n(PostgreSQL CPU unavailable: the backends’ /proc entries were not readable.)');
  printVerdict(closed, open);
}

function printVerdict(closed: ClosedRow[], open: OpenRow[]): void {
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  const row = (route: string, target: string) => closed.find((r) => r.route === route && r.target === target);
  const at = (route: string, rate: number, target: string) =>
    open.find((r) => r.route === route && r.rate === rate && r.target === target);
  const lines: string[] = [];
  const read = row('read', 'service');
  const readNest = row('read', 'nest');
  if (read && readNest) {
    const share = read.rps / readNest.rps;
    lines.push(`- GET /queue/{id} ≥ 90 % of its Nest ceiling: ${ok(share >= TARGET.readShareOfNest)} (${pct(share)})`);
  }
  const r1000 = at('read', 1000, 'service');
  const c1000 = at('read', 1000, 'nest');
  if (r1000 && c1000) {
    const ratio = r1000.p99 / c1000.p99;
    lines.push(
      `- GET /queue/{id} p99 at 1,000/s within 1.25× of the ceiling's: ${ok(ratio <= TARGET.readP99VsCeilingAt1000)} ` +
        `(${fmt(r1000.p99, 1)} ms vs ${fmt(c1000.p99, 1)} ms, ${fmt(ratio, 2)}×)`,
    );
  }
  const join = row('join', 'service');
  if (join) {
    lines.push(
      `- POST /queue ≥ 1,000 joins/s closed loop: ${ok(join.rps >= TARGET.joinsPerS && join.non2xx === 0)} ` +
        `(${fmt(join.rps)} /s, ${fmt(join.non2xx)} non-2xx)`,
    );
    lines.push(
      `- PostgreSQL CPU per join ≤ 0.5 ms: ${ok(join.pgMsPerReq <= TARGET.joinPgCpuMs)} (${fmt(join.pgMsPerReq, 3)} ms)`,
    );
  }
  const j400 = at('join', 400, 'service');
  if (j400) {
    lines.push(
      `- POST /queue p99 < 50 ms at 400 joins/s: ${ok(j400.p99 < TARGET.joinP99At400Ms && j400.non2xx + j400.errors === 0)} ` +
        `(p99 ${fmt(j400.p99, 1)} ms, p99.9 ${fmt(j400.p999, 1)} ms)`,
    );
  }
  if (lines.length) console.log(`\nSPEC §11 HTTP targets (ratios against ceilings of this run):\n${lines.join('\n')}`);
}
