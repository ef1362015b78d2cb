import { OpenLoopResult } from './open-loop';

/** The HTTP bench's tables and its verdict on SPEC §11, every figure next to its ceiling's. */

export interface ClosedRow {
  route: 'read' | 'join';
  target: 'raw' | 'nest' | 'baseline' | 'service';
  /** BENCH_ROUNDS: the Nest ceiling and the service alternate, each share is against its own round's ceiling */
  round: number;
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
  target: 'raw' | 'nest' | 'baseline' | 'service';
  rate: number;
  round: number;
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
  ctx: { durationS: number; connections: number; pgCpu: boolean; rounds: number },
): void {
  const ceiling = (route: string, target: string, round: number) =>
    closed.find((r) => r.route === route && r.target === target && r.round === round) ??
    closed.find((r) => r.route === route && r.target === target);
  const roundCell = (r: { round: number }) => (ctx.rounds > 1 ? ` ${r.round} |` : '');
  const roundHead = ctx.rounds > 1 ? [' round |', '---:|'] : ['', ''];
  if (closed.length) {
    console.log(
      `\n# HTTP closed loop (autocannon, ${ctx.connections} connections, ${ctx.durationS} s after warm-up)\n`,
    );
    console.log(
      `| route |${roundHead[0]} target | req/s | p50 ms | p99 ms | non-2xx | errors | share of Nest ceiling | share of raw | PG CPU ms/req | server CPU ms/req |`,
    );
    console.log(`|---|${roundHead[1]}---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
    for (const r of closed) {
      const nest = ceiling(r.route, 'nest', r.round);
      const raw = ceiling(r.route, 'raw', r.round);
      console.log(
        `| ${ROUTE[r.route]} |${roundCell(r)} ${r.target} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.non2xx)} | ` +
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
      `| route |${roundHead[0]} target | offered /s | done /s | p50 ms | p99 ms | p99.9 ms | p99 / ceiling p99 | non-2xx | errors | PG CPU ms/req | server CPU ms/req |`,
    );
    console.log(`|---|${roundHead[1]}---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
    for (const r of open) {
      const c = open.find(
        (o) => o.route === r.route && o.rate === r.rate && o.round === r.round && o.target === 'nest',
      );
      console.log(
        `| ${ROUTE[r.route]} |${roundCell(r)} ${r.target} | ${fmt(r.rate)} | ${fmt(r.done)} | ${fmt(r.p50, 1)} | ` +
          `${fmt(r.p99, 1)} | ${fmt(r.p999, 1)} | ${r.target === 'nest' ? '(ceiling)' : fmt(c ? r.p99 / c.p99 : NaN, 2) + '×'} | ` +
          `${fmt(r.non2xx)} | ${fmt(r.errors)} | ${fmt(r.pgMsPerReq, 3)} | ${fmt(r.nodeMsPerReq, 3)} |`,
      );
    }
  }
  if (!ctx.pgCpu) console.log('\n(PostgreSQL CPU unavailable: the backends’ /proc entries were not readable.)');
  printVerdict(closed, open);
}

/** The median of a figure over the rounds that have it (one round: the figure itself). */
function medianOf(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function printVerdict(closed: ClosedRow[], open: OpenRow[]): void {
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  const rows = (route: string, target: string) => closed.filter((r) => r.route === route && r.target === target);
  const row = (route: string, target: string, round: number) => rows(route, target).find((r) => r.round === round);
  const at = (route: string, rate: number, target: string) =>
    open.filter((r) => r.route === route && r.rate === rate && r.target === target);
  const of = (n: number) => (n > 1 ? `, median of ${n} rounds` : '');
  const lines: string[] = [];
  for (const target of ['service', 'baseline'] as const) {
    const who = target === 'service' ? '' : ' [baseline build]';
    const reads = rows('read', target);
    const shares = reads.map((r) => r.rps / (row('read', 'nest', r.round)?.rps ?? NaN));
    if (reads.length && rows('read', 'nest').length) {
      const share = medianOf(shares);
      lines.push(
        `- GET /queue/{id} ≥ 90 % of its Nest ceiling${who}: ${ok(share >= TARGET.readShareOfNest)} ` +
          `(${pct(share)}${of(reads.length)}${reads.length > 1 ? `: ${shares.map(pct).join(', ')}` : ''})`,
      );
    }
    const r1000 = at('read', 1000, target);
    const c1000 = at('read', 1000, 'nest');
    if (r1000.length && c1000.length) {
      const pairs = r1000.map((r) => [r.p99, c1000.find((c) => c.round === r.round)?.p99 ?? NaN]);
      const ratio = medianOf(pairs.map(([p, c]) => p / c));
      lines.push(
        `- GET /queue/{id} p99 at 1,000/s within 1.25× of the ceiling's${who}: ` +
          `${ok(ratio <= TARGET.readP99VsCeilingAt1000)} ` +
          `(${pairs.map(([p, c]) => `${fmt(p, 1)} ms vs ${fmt(c, 1)} ms`).join('; ')}: ${fmt(ratio, 2)}×${of(pairs.length)})`,
      );
    }
  }
  const joins = rows('join', 'service');
  if (joins.length) {
    const rps = medianOf(joins.map((j) => j.rps));
    const non2xx = joins.reduce((a, j) => a + j.non2xx, 0);
    const pgMs = medianOf(joins.map((j) => j.pgMsPerReq));
    lines.push(
      `- POST /queue ≥ 1,000 joins/s closed loop: ${ok(rps >= TARGET.joinsPerS && non2xx === 0)} ` +
        `(${fmt(rps)} /s${of(joins.length)}, ${fmt(non2xx)} non-2xx)`,
    );
    lines.push(`- PostgreSQL CPU per join ≤ 0.5 ms: ${ok(pgMs <= TARGET.joinPgCpuMs)} (${fmt(pgMs, 3)} ms)`);
  }
  const j400 = at('join', 400, 'service');
  if (j400.length) {
    const p99 = medianOf(j400.map((j) => j.p99));
    const p999 = medianOf(j400.map((j) => j.p999));
    const failed = j400.reduce((a, j) => a + j.non2xx + j.errors, 0);
    lines.push(
      `- POST /queue p99 < 50 ms at 400 joins/s: ${ok(p99 < TARGET.joinP99At400Ms && failed === 0)} ` +
        `(p99 ${fmt(p99, 1)} ms, p99.9 ${fmt(p999, 1)} ms${of(j400.length)})`,
    );
  }
  if (lines.length) console.log(`\nSPEC §11 HTTP targets (ratios against ceilings of this run):\n${lines.join('\n')}`);
}
