import fs from 'fs';
import path from 'path';
import { log } from '../../support/harness';
import { Counters } from '../client';
import { Check } from '../identity';
import { reportsDir } from '../settings';
import { FaultRecord } from './faults';
import { RestartableProcess } from './processes';
import { INFRA_FAULTS, STUB_FAULTS } from './schedule';

export interface ChaosReport {
  seed: number;
  settings: Record<string, unknown>;
  faults: FaultRecord[];
  probeWindows: Array<{ kind: string; startedAt: number; repairedAt: number | null }>;
  checks: Check[];
  figures: {
    entries: number;
    matches: number;
    created: number;
    failed: number;
    pending: number;
    with_result: number;
    by_status: Record<string, number> | null;
  };
  driver: Counters;
  unknownJoins: number;
}

const pad = (s: string | number, n: number) => String(s).padEnd(n);

export function printChaosReport(r: ChaosReport): void {
  console.log(`\n## Faults injected (seed ${r.seed})\n`);
  console.log(`| ${pad('kind', 14)} | count | seconds broken | not repaired |`);
  console.log(`| ${'-'.repeat(14)} | ----- | -------------- | ------------ |`);
  for (const kind of [...INFRA_FAULTS, ...STUB_FAULTS]) {
    const of = r.faults.filter((f) => f.kind === kind);
    const broken = of.reduce((sum, f) => sum + ((f.repairedAt ?? Date.now()) - f.startedAt) / 1000, 0);
    console.log(
      `| ${pad(kind, 14)} | ${pad(of.length, 5)} | ${pad(broken.toFixed(1), 14)} | ${pad(of.filter((f) => f.error).length, 12)} |`,
    );
  }
  console.log(`| ${pad('total', 14)} | ${pad(r.faults.length, 5)} | ${pad('', 14)} | ${pad('', 12)} |`);
  for (const kind of ['probe:postgres', 'probe:redis']) {
    const of = r.probeWindows.filter((w) => w.kind === kind);
    const secs = of.reduce((sum, w) => sum + ((w.repairedAt ?? w.startedAt) - w.startedAt) / 1000, 0);
    console.log(
      `| ${pad(`${kind} (seen)`, 14)} | ${pad(of.length, 5)} | ${pad(secs.toFixed(1), 14)} | ${pad('', 12)} |`,
    );
  }
  for (const f of r.faults.filter((x) => x.error)) console.log(`  not repaired: ${f.kind} at ${f.atMs} ms: ${f.error}`);

  const d = r.driver;
  const fig = r.figures;
  console.log('\n## Load\n');
  console.log(
    `joins: ${d.joinAttempts} attempts, ${d.accepted} accepted (${d.recoveredJoins} found again via /active, ${d.adoptedJoins} via 409's id), ` +
      `${r.unknownJoins} with no answer or a 5xx; ${d.activeGame409} × 409 ACTIVE_GAME_EXISTS`,
  );
  console.log(
    `matches: ${fig.matches} (created ${fig.created}, failed ${fig.failed}, pending ${fig.pending}; ${fig.with_result} with a result); ` +
      `entries ${fig.entries}: ${Object.entries(fig.by_status ?? {})
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
  );
  const kinds = Object.entries(d.errorKinds).sort((a, b) => b[1] - a[1]);
  if (kinds.length) console.log(`client errors by kind: ${kinds.map(([k, v]) => `${k} × ${v}`).join('; ')}`);

  const violations = r.checks.filter((k) => !k.ok).length;
  console.log(`\n## Invariants (${r.checks.length} checked, ${violations} violated)\n`);
  for (const k of r.checks) console.log(`  ${k.ok ? 'ok  ' : 'FAIL'} ${k.name}: ${k.detail}`);
  console.log(`\nchaos soak: ${violations === 0 && !r.faults.some((f) => f.error) ? 'PASSED' : 'FAILED'}`);
}

/** reports/chaos-<seed>.json and each process's output (warn and up), for the post-mortem. */
export function writeChaosReport(r: ChaosReport, processes: RestartableProcess[]): void {
  const dir = reportsDir();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `chaos-${r.seed}.json`), JSON.stringify(r, null, 2));
  for (const p of processes) fs.writeFileSync(path.join(dir, `chaos-${r.seed}-${p.name}.log`), p.output);
  log(`wrote ${path.join(dir, `chaos-${r.seed}.json`)} and the processes' logs`);
}
