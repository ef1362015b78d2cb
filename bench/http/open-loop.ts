import http from 'http';
import { quantile, sortedNumbers } from '../support/harness';

/**
 * Open-loop load: requests arrive as a Poisson process at a fixed rate whatever the server does, and
 * each latency is measured from the request's scheduled send time, so a stalled server shows up as
 * latency instead of as fewer requests (no coordinated omission). Keep-alive sockets from one agent.
 */

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** answered per second of the run */
  done: number;
  p50: number;
  p99: number;
  p999: number;
}

/** Enough sockets that a slow spell queues in the server, not in the agent (which would also count). */
const MAX_SOCKETS = 256;
/** A request not answered within this long counts as an error. */
const REQUEST_TIMEOUT_MS = 10_000;

export async function openLoop(
  baseUrl: string,
  ratePerS: number,
  durationS: number,
  next: () => OpenLoopRequest,
  random: () => number = Math.random,
): Promise<OpenLoopResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let inflight = 0;
  let drained: (() => void) | null = null;

  const fire = (scheduled: number) => {
    const r = next();
    sent++;
    inflight++;
    const done = (status: number | null) => {
      inflight--;
      if (status === null) errors++;
      else {
        latencies.push(performance.now() - scheduled);
        if (status >= 200 && status < 300) ok++;
        else non2xx++;
      }
      if (inflight === 0 && drained) drained();
    };
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: r.body
          ? { ...r.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) }
          : r.headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(null));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(null));
    req.end(r.body);
  };

  const started = performance.now();
  const end = started + durationS * 1000;
  let due = started;
  await new Promise<void>((resolve) => {
    const pump = () => {
      const now = performance.now();
      while (due <= now && due < end) {
        fire(due);
        due += (-Math.log(1 - random()) / ratePerS) * 1000;
      }
      if (due >= end) return resolve();
      setTimeout(pump, Math.max(0, Math.floor(due - performance.now())));
    };
    pump();
  });
  if (inflight > 0) await new Promise<void>((resolve) => (drained = resolve));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = sortedNumbers(latencies);
  return {
    sent,
    ok,
    non2xx,
    errors,
    done: (ok + non2xx) / elapsedS,
    p50: quantile(sorted, 0.5) ?? NaN,
    p99: quantile(sorted, 0.99) ?? NaN,
    p999: quantile(sorted, 0.999) ?? NaN,
  };
}
