import { log, sleep } from '../../support/harness';
import { PgProxyProcess } from './pg-proxy';
import { stubControl } from '../stub-control';
import { RestartableProcess, redisFlushDb, redisShutdown } from './processes';
import { describeFault, FaultKind, INFRA_FAULTS, PlannedFault } from './schedule';

/** Carries out the fault schedule against the soak's processes, and records when each fault really began and ended. */

export interface Topology {
  api: RestartableProcess;
  workers: RestartableProcess[];
  redis: RestartableProcess;
  redisDb: number;
  pgProxy: PgProxyProcess;
  stubUrl: string;
  liveGameTimeoutMs: number;
}

export interface FaultRecord extends PlannedFault {
  startedAt: number;
  /** when the fault was repaired (process ready again, proxy open, stub healthy); null if it never was */
  repairedAt: number | null;
  error: string | null;
}

/** Slow means slower than the service's live-game timeout: calls time out and are retried with the same key. */
const SLOW_FACTOR = 1.5;
/** Share of stub requests refused while "failing". */
const FAILING_RATE = 0.5;

/** Runs the infrastructure lane and the stub lane side by side; resolves when every fault is repaired. */
export async function runFaults(
  plan: PlannedFault[],
  topo: Topology,
  t0: number,
  totalMs: number,
): Promise<FaultRecord[]> {
  const infra = new Set<FaultKind>(INFRA_FAULTS);
  const lanes = [plan.filter((f) => infra.has(f.kind)), plan.filter((f) => !infra.has(f.kind))];
  const records: FaultRecord[] = [];
  await Promise.all(
    lanes.map(async (lane) => {
      for (const fault of lane) {
        await sleep(Math.max(0, t0 + fault.atMs - Date.now()));
        // a slow restart pushes the lane back; faults left over at the end are not started
        if (Date.now() + fault.durationMs > t0 + totalMs) break;
        const record: FaultRecord = { ...fault, startedAt: Date.now(), repairedAt: null, error: null };
        records.push(record);
        log(`fault: ${describeFault(fault)}`);
        try {
          await inject(fault, topo);
          record.repairedAt = Date.now();
        } catch (error) {
          record.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
          log(`fault ${fault.kind} could not be carried out or repaired: ${record.error}`);
        }
      }
    }),
  );
  return records.sort((a, b) => a.startedAt - b.startedAt);
}

/** Breaks one thing, waits the fault's duration, repairs it. */
async function inject(f: PlannedFault, topo: Topology): Promise<void> {
  const hold = () => sleep(f.durationMs);
  switch (f.kind) {
    case 'worker-kill': {
      const worker = topo.workers[f.variant % topo.workers.length];
      await worker.kill();
      await hold();
      return worker.start();
    }
    case 'api-kill':
      await topo.api.kill();
      await hold();
      return topo.api.start();
    case 'redis-restart':
      await redisShutdown(topo.redis);
      await hold();
      return topo.redis.start();
    case 'redis-flush':
      return redisFlushDb(topo.redis.port, topo.redisDb);
    case 'pg-cut':
      await topo.pgProxy.cut();
      await hold();
      return topo.pgProxy.restore();
    case 'stub-slow':
      await stubControl(topo.stubUrl, { latency_ms: Math.round(topo.liveGameTimeoutMs * SLOW_FACTOR) });
      await hold();
      return stubControl(topo.stubUrl, { latency_ms: 0 });
    case 'stub-failing':
      await stubControl(topo.stubUrl, { failure_rate: FAILING_RATE, failure_status: 503 });
      await hold();
      return stubControl(topo.stubUrl, { failure_rate: 0 });
    case 'stub-down':
      await stubControl(topo.stubUrl, { down: true, down_mode: f.variant ? 'reset' : 'status' });
      await hold();
      return stubControl(topo.stubUrl, { down: false });
  }
}
