import fs from 'fs';
import path from 'path';
import { log, quantile } from '../support/harness';
import { histogramSvg, lineChartSvg } from './charts';
import { Report } from './report';
import { reportsDir } from './settings';

/** The plain run's output: HTML with charts, JSON, and the summary on stdout. */

export function writeReports(report: Report): void {
  fs.mkdirSync(reportsDir(), { recursive: true });
  const { _samples, ...json } = report;
  const waitMax = Math.max(1, quantile(_samples.waits, 0.99) ?? 1);
  const waitHist = histogramSvg(
    _samples.waits.filter((w) => w <= waitMax),
    {
      title: `Time to match (s), ${_samples.waits.length} players, up to p99`,
      xLabel: 'seconds from join to pairing',
      bins: 40,
    },
  );
  const gapHist = histogramSvg(_samples.gaps, {
    title: `Rating gap, ${_samples.gaps.length} matches`,
    xLabel: 'rating points',
    bins: 40,
    color: '#d07a4a',
  });
  const xs = report.buckets_10s;
  const waitLine = lineChartSvg(
    [
      { name: 'wait p50', color: '#4a7bd0', points: xs.map((b) => [b.start_s, b.wait_p50_s]) },
      { name: 'wait p95', color: '#1b3d80', points: xs.map((b) => [b.start_s, b.wait_p95_s]) },
      { name: 'pairing→game p50', color: '#3aa35a', points: xs.map((b) => [b.start_s, b.pairing_to_game_p50_s]) },
      { name: 'pairing→game p95', color: '#1d5e30', points: xs.map((b) => [b.start_s, b.pairing_to_game_p95_s]) },
    ],
    {
      title: 'Join→pairing and pairing→game per 10-second bucket',
      xLabel: 'simulation time (s, bucket start)',
      yLabel: 'seconds',
    },
  );
  const gapLine = lineChartSvg(
    [
      { name: 'gap p50', color: '#d07a4a', points: xs.map((b) => [b.start_s, b.gap_p50]) },
      { name: 'gap p95', color: '#803a1b', points: xs.map((b) => [b.start_s, b.gap_p95]) },
    ],
    { title: 'Rating gap per 10-second bucket', xLabel: 'simulation time (s, bucket start)', yLabel: 'rating points' },
  );
  const rows = (o: Record<string, unknown>) =>
    Object.entries(o)
      .map(
        ([k, v]) =>
          `<tr><th>${k}</th><td>${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number)}</td></tr>`,
      )
      .join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Matchmaking simulation</title>
<style>body{font-family:sans-serif;max-width:1340px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}.ok{color:#080}.bad{color:#c00;font-weight:bold}svg{margin:4px;border:1px solid #eee}</style></head><body>
<h1>Matchmaking simulation</h1><p>Generated ${report.generated_at}. Figures from the service's database after the run.</p>
<h2>Summary</h2><table>${rows({
    'matches (created / failed / pending)': `${report.matches.total} (${report.matches.created} / ${report.matches.failed} / ${report.matches.pending})`,
    'time to match s p50 / p95 / p99': `${report.time_to_match_s.p50} / ${report.time_to_match_s.p95} / ${report.time_to_match_s.p99}`,
    'pairing → game created s p50 / p95 / p99': `${report.pairing_to_game_s.p50} / ${report.pairing_to_game_s.p95} / ${report.pairing_to_game_s.p99}`,
    'rating gap p50 / p95 (mean)': `${report.rating_gap.p50} / ${report.rating_gap.p95} (${report.rating_gap.mean})`,
    'cross-region share': `${report.cross_region.cross_region} of ${report.cross_region.matches_with_both_regions} matches with both regions set`,
    timeouts: report.timeouts,
    'cancellations by users': report.cancellations.by_user,
    'entries by status': report.entries_by_status,
  })}</table>
<h2>Accounting identity: <span class="${report.identity.ok ? 'ok' : 'bad'}">${report.identity.ok ? 'holds' : 'FAILS'}</span></h2>
<table>${report.identity.checks.map((k) => `<tr><td class="${k.ok ? 'ok' : 'bad'}">${k.ok ? '✔' : '✘'}</td><th>${k.name}</th><td>${k.detail}</td></tr>`).join('')}</table>
<h2>Charts</h2><div>${waitHist}${gapHist}</div><div>${waitLine}${gapLine}</div>
<h2>Settings and driver counters</h2><table>${rows(report.settings)}</table><table>${rows(report.driver as unknown as Record<string, unknown>)}</table>
</body></html>`;
  fs.writeFileSync(path.join(reportsDir(), 'simulation.html'), html);
  fs.writeFileSync(path.join(reportsDir(), 'simulation.json'), JSON.stringify(json, null, 2));
  fs.writeFileSync(path.join(reportsDir(), 'wait-histogram.svg'), waitHist);
  log(`wrote ${path.relative(process.cwd(), reportsDir())}/simulation.html, simulation.json, wait-histogram.svg`);
}

export function printSummary(r: Report): void {
  const d = r.driver;
  console.log('\n# Simulation\n');
  console.log(
    `players ${r.settings.players}, ${r.settings.durationS} s, first arrivals ${Number(r.settings.arrivalRate).toFixed(1)}/s (Poisson), break mean ${r.settings.thinkS} s, ticks ${r.settings.matchTickMs} ms, queue timeout ${r.settings.queueTimeoutS} s`,
  );
  console.log(
    `joins: ${d.joinAttempts} attempts, ${d.accepted} accepted, ${d.activeGame409} × 409 ACTIVE_GAME_EXISTS (waited), ${d.alreadyInQueue409} × 409 ALREADY_IN_QUEUE, ${d.otherJoinErrors} other errors, ${d.httpErrors} transport errors`,
  );
  if (Object.keys(d.errorKinds).length)
    console.log(
      `errors by kind: ${Object.entries(d.errorKinds)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} × ${v}`)
        .join('; ')}`,
    );
  console.log(
    `watching: ${r.settings.watchMode}; ${d.polls} polls (${d.pollErrors} errors), ${d.streams} SSE streams; ${d.recoveredJoins} joins recovered after a lost answer`,
  );
  console.log(`cancel requests ${d.cancelRequests}: ${d.cancelled} cancelled, ${d.cancelTooLate} too late (409)`);
  console.log(
    `matches made: ${r.matches.total} (created ${r.matches.created}, failed ${r.matches.failed}, pending ${r.matches.pending}; ${r.matches.with_result} with a result)`,
  );
  console.log(
    `time to match (s): p50 ${r.time_to_match_s.p50}, p95 ${r.time_to_match_s.p95}, p99 ${r.time_to_match_s.p99}, max ${r.time_to_match_s.max}`,
  );
  console.log(
    `pairing → game created (s): p50 ${r.pairing_to_game_s.p50}, p95 ${r.pairing_to_game_s.p95}, p99 ${r.pairing_to_game_s.p99}`,
  );
  const sm = r.service_metrics;
  console.log(
    `service /metrics means: live-game call ${sm.game_creation_call.mean_ms} ms (${sm.game_creation_call.count}), ` +
      `tick ${sm.tick.mean_ms} ms (${sm.tick.count}), HTTP request (SSE streams excluded) ${sm.http_request.mean_ms} ms (${sm.http_request.count})`,
  );
  console.log(`rating gap: p50 ${r.rating_gap.p50}, p95 ${r.rating_gap.p95}, mean ${r.rating_gap.mean}`);
  console.log(
    `by format: ${r.by_format.map((f) => `${f.format} ${f.matches} matches (${f.players} players, mean gap ${f.mean_gap})`).join('; ')}`,
  );
  console.log(
    `cross-region: ${r.cross_region.cross_region} of ${r.cross_region.matches_with_both_regions} matches whose players both had a region (${r.cross_region.share === null ? 'n/a' : (r.cross_region.share * 100).toFixed(1) + ' %'})`,
  );
  console.log(
    `timeouts: ${r.timeouts}; cancellations: ${r.cancellations.by_user} by users, ${r.cancellations.other} other`,
  );
  console.log(
    `entries by status: ${Object.entries(r.entries_by_status)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(`\naccounting identity: ${r.identity.ok ? 'holds' : 'FAILS'}`);
  for (const k of r.identity.checks) console.log(`  ${k.ok ? 'ok  ' : 'FAIL'} ${k.name}: ${k.detail}`);
}
