import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pgServerUrl } from './support/test-env';

/** Seeded, so the same faults come in the same order (seed 2: the Redis wipe, a PostgreSQL cut and an api kill early on). */
const SEED = Number(process.env.SIM_SEED ?? 2);
const SOAK_S = 45;
const QUIET_S = 20;

/**
 * The short chaos soak (`npm run simulate -- --chaos`, ≈45 s): one api and two worker processes of the
 * built service, its own Redis, PostgreSQL behind a proxy that is cut, and the stub made slow, failing and
 * down, while players join, play and come back. Every invariant of the accounting identity and of the
 * clients' view must hold afterwards (the checker itself is tested in chaos-checker.e2e-spec.ts). Part of `npm test`;
 * `npm run test:chaos` runs it alone, `SIM_SEED=n` with another fault schedule.
 */
describe('chaos soak (short)', () => {
  it('keeps every invariant through worker and api kills, Redis restarts and a wipe, PostgreSQL cuts and stub faults', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mm-chaos-'));
    const child = spawn(process.execPath, [path.join(__dirname, '../dist/bench/simulate.js'), '--chaos'], {
      env: {
        ...process.env,
        SIM_SEED: String(SEED),
        SIM_DURATION_S: String(SOAK_S),
        SIM_CHAOS_QUIET_S: String(QUIET_S),
        SIM_REPORT_DIR: dir,
        BENCH_PG_URL: `${pgServerUrl()}/postgres`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const reportFile = path.join(dir, `chaos-${SEED}.json`);
    if (!fs.existsSync(reportFile)) throw new Error(`the soak wrote no report (exit ${code}):\n${output.slice(-4000)}`);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const kinds = new Set(report.faults.map((f: { kind: string }) => f.kind));
    expect(['redis-restart', 'redis-flush', 'pg-cut', 'api-kill'].filter((k) => !kinds.has(k))).toEqual([]);
    expect(report.faults.filter((f: { error: string | null }) => f.error)).toEqual([]);
    expect(report.figures.created).toBeGreaterThan(10);
    expect(report.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(code).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 600_000);
});
