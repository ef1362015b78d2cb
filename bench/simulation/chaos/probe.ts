import Redis from 'ioredis';
import { Client } from 'pg';
import { sleep } from '../../support/harness';
import { FaultWindow } from './invariants';

/**
 * The soak's own view of its dependencies: PostgreSQL (through the service's proxy) and Redis are asked
 * `SELECT 1` / `PING` twice a second. An answer slower than the service's readiness check allows (or
 * none) marks that dependency as down for that moment, whatever the cause (a fault, or a machine so
 * busy that connections stall): a 503 then is the honest answer.
 */

/** The service's /health/ready gives PostgreSQL and Redis this long (terminus ping timeout). */
export const READY_TIMEOUT_MS = 1500;
const PROBE_EVERY_MS = 500;

export function startProbes(pgUrl: string, redisPort: number): { stop: () => Promise<FaultWindow[]> } {
  const windows: FaultWindow[] = [];
  let running = true;
  const loop = async (kind: FaultWindow['kind'], ask: () => Promise<unknown>) => {
    while (running) {
      const startedAt = Date.now();
      const ok = await Promise.race([
        ask().then(
          () => true,
          () => false,
        ),
        sleep(READY_TIMEOUT_MS).then(() => false),
      ]);
      if (!ok) windows.push({ kind, startedAt, repairedAt: Date.now() });
      await sleep(PROBE_EVERY_MS);
    }
  };
  let pg: Client | null = null;
  const pgAsk = async () => {
    try {
      if (!pg) {
        pg = new Client({ connectionString: pgUrl, connectionTimeoutMillis: READY_TIMEOUT_MS });
        pg.on('error', () => undefined);
        await pg.connect();
      }
      await pg.query('SELECT 1');
    } catch (error) {
      void pg?.end().catch(() => undefined);
      pg = null;
      throw error;
    }
  };
  const redis = new Redis({ port: redisPort, host: '127.0.0.1', maxRetriesPerRequest: 0, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  const loops = [loop('probe:postgres', pgAsk), loop('probe:redis', () => redis.ping())];
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      redis.disconnect();
      await pg?.end().catch(() => undefined);
      return windows;
    },
  };
}
