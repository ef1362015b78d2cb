import Redis from 'ioredis';
import { Client } from 'pg';
import { joinQueue, untilStatus } from './support/api';
import { envFor, waitFor } from './support/test-app';
import { createTestStorage, TestStorage } from './support/test-env';
import { ServiceProcess } from './support/service-process';
import { Stub, STUB_TOKEN } from './support/stub';

/** Real processes of the built service: crashes, restarts, several replicas, Redis wiped, SIGTERM. */
describe('faults with real processes', () => {
  let stub: Stub;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    stub = await Stub.start();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await stub.control({ latency_ms: 0, failure_rate: 0, down: false });
  });
  afterAll(() => stub.close());

  const serviceEnv = (storage: TestStorage, overrides: Record<string, string> = {}) => ({
    ...envFor(storage, {
      LIVE_GAME_API_URL: stub.url,
      LIVE_GAME_API_TOKEN: STUB_TOKEN,
      ACTIVE_GAME_CHECK: 'false',
      RATE_LIMIT_JOINS_PER_MINUTE: '1000',
      LOG_LEVEL: 'info',
      ...overrides,
    }),
  });
  const start = async (env: Record<string, string>) => {
    const p = await ServiceProcess.start(env);
    processes.push(p);
    return p;
  };
  const query = async (storage: TestStorage, sql: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: storage.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  it('resumes matching after Redis is wiped (FLUSHDB) while entries wait', async () => {
    // A Redis database of its own, because this test flushes it whole.
    const storage = {
      ...(await createTestStorage()),
      redisUrl: process.env.TEST_REDIS_FLUSH_URL || 'redis://127.0.0.1:6379/12',
    };
    const service = await start(serviceEnv(storage, { REGION_FALLBACK_SECONDS: '3' }));
    const a = await joinQueue(service.url, 'flush', 'eu-player', { time_control: '5+0', region: 'EU' });
    await joinQueue(service.url, 'flush', 'na-player', { time_control: '5+0', region: 'NA' });
    const redis = new Redis(storage.redisUrl);
    await redis.flushdb();
    expect(await redis.dbsize()).toBeLessThan(5);
    await redis.quit();
    const matched = await untilStatus(service.url, 'flush', 'eu-player', a.queue_entry_id, 'MATCHED', {
      timeoutMs: 20000,
      everyMs: 200,
    });
    expect(matched.opponent.user_id).toBe('na-player');
  });

  it('makes exactly one game when a process is killed during game creation and another takes over', async () => {
    const storage = await createTestStorage();
    await stub.control({ latency_ms: 2500 });
    const first = await start(serviceEnv(storage, { LIVE_GAME_API_TIMEOUT_MS: '4000' }));
    const a = await joinQueue(first.url, 'crash', 'kit', { time_control: '3+0' });
    await joinQueue(first.url, 'crash', 'lou', { time_control: '3+0' });
    const [match] = await waitFor(async () => {
      const rows = await query(storage, `SELECT id FROM matches WHERE tenant_id = 'crash'`);
      return rows.length ? rows : null;
    });
    await waitFor(async () => (await stub.requests(match.id)).length > 0, 10000);
    first.kill('SIGKILL');
    await first.waitForExit();
    await stub.control({ latency_ms: 0 });

    const second = await start(serviceEnv(storage, { LIVE_GAME_API_TIMEOUT_MS: '4000' }));
    const matched = await untilStatus(second.url, 'crash', 'kit', a.queue_entry_id, 'MATCHED', {
      timeoutMs: 45000,
      everyMs: 300,
    });
    const games = (await stub.games()).filter((g) => g.match_id === match.id);
    expect(games).toHaveLength(1);
    expect(matched.game_id).toBe(games[0].game_id);
    const matches = await query(storage, `SELECT status, game_id FROM matches WHERE tenant_id = 'crash'`);
    expect(matches).toEqual([{ status: 'CREATED', game_id: games[0].game_id }]);
  }, 90000);

  it('pairs 200 players exactly once with one api and two worker processes', async () => {
    const storage = await createTestStorage();
    const api = await start(serviceEnv(storage, { ROLE: 'api' }));
    await Promise.all([
      start(serviceEnv(storage, { ROLE: 'worker', MATCH_TICK_MS: '50' })),
      start(serviceEnv(storage, { ROLE: 'worker', MATCH_TICK_MS: '50' })),
    ]);
    const users = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const pools = ['1+0', '3+0', '5+0', '10+0'];
    for (let i = 0; i < users.length; i += 25) {
      await Promise.all(
        users.slice(i, i + 25).map((u, j) => joinQueue(api.url, 'multi', u, { time_control: pools[(i + j) % 4] })),
      );
    }
    await waitFor(
      async () => {
        const [r] = await query(
          storage,
          `SELECT count(*)::int AS n FROM queue_entries WHERE tenant_id = 'multi' AND status = 'MATCHED'`,
        );
        return r.n === 200;
      },
      30000,
      250,
    );
    const matches = await query(
      storage,
      `SELECT white_user_id, black_user_id, game_id, status FROM matches WHERE tenant_id = 'multi'`,
    );
    expect(matches).toHaveLength(100);
    expect(matches.flatMap((m) => [m.white_user_id, m.black_user_id]).sort()).toEqual([...users].sort());
    expect(new Set(matches.map((m) => m.game_id)).size).toBe(100);
    const apiServedWork = /tick|pairs claimed/.test(api.output);
    expect(apiServedWork).toBe(false);
  }, 90000);

  it('drains on SIGTERM: the game in flight is finished, then the process exits 0', async () => {
    const storage = await createTestStorage();
    await stub.control({ latency_ms: 1500 });
    const service = await start(serviceEnv(storage));
    const a = await joinQueue(service.url, 'drain', 'max', { time_control: '2+1' });
    await joinQueue(service.url, 'drain', 'ned', { time_control: '2+1' });
    await waitFor(async () => {
      const rows = await query(storage, `SELECT id FROM matches WHERE tenant_id = 'drain'`);
      return rows.length && (await stub.requests(rows[0].id)).length > 0;
    }, 10000);
    service.kill('SIGTERM');
    await service.waitForExit(20000);
    expect(service.exitCode).toBe(0);
    const [entry] = await query(storage, `SELECT status, game_id FROM queue_entries WHERE id = $1`, [a.queue_entry_id]);
    expect(entry.status).toBe('MATCHED');
    expect(entry.game_id).toBeTruthy();
  }, 60000);
});
