import { playerApi } from './support/api';
import { Stub, useStubbedService } from './support/stub';
import { apiKey, bearer, startApp, tenantIds, TestApp, waitFor } from './support/test-app';

/** `name{labels} value` lines of a Prometheus scrape; `labels` must all match. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) have[k] = v;
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) {
      total += Number(m[3]);
      found = true;
    }
  }
  return found ? total : NaN;
}

describe('GET /metrics', () => {
  let stub: Stub;
  let t: TestApp;
  const newTenant = tenantIds('met');
  useStubbedService(
    { GAME_CREATE_ATTEMPTS: '2', GAME_CREATE_BACKOFF_MS: '20', ACTIVE_GAME_CHECK: 'false' },
    (started) => ({ stub, t } = started),
  );
  const { join, untilStatus } = playerApi(() => t);

  const scrape = async () => {
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    return res.text;
  };

  it('is public, in the Prometheus text format, with the default process metrics', async () => {
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toMatch(/version=0\.0\.4/);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(sample(res.text, name)).toBeGreaterThan(0);
    }
    for (const name of [
      'matchmaking_tick_duration_seconds',
      'matchmaking_pairs_per_tick',
      'matchmaking_match_wait_seconds',
      'matchmaking_match_rating_gap',
      'matchmaking_game_creation_duration_seconds',
    ]) {
      expect(res.text).toContain(`# TYPE ${name} histogram`);
    }
    expect(res.text).toContain('# TYPE matchmaking_game_creation_attempts_total counter');
    expect(res.text).toContain('# TYPE matchmaking_queue_depth gauge');
  });

  it('times HTTP requests by route pattern and status, never by raw URL', async () => {
    const route = '/v1/matchmaking/queue/:id';
    const before = await scrape();
    const countBefore = sample(before, 'http_request_duration_seconds_count', {
      method: 'GET',
      route,
      status_code: '404',
    });
    for (let i = 0; i < 3; i++) {
      expect((await t.http().get(`/v1/matchmaking/queue/q_missing${i}`).set(bearer('u1'))).status).toBe(404);
    }
    expect((await t.http().get('/internal/queues/summary')).status).toBe(401);
    const after = await scrape();
    expect(sample(after, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '404' })).toBe(
      (Number.isNaN(countBefore) ? 0 : countBefore) + 3,
    );
    expect(
      sample(after, 'http_request_duration_seconds_bucket', { method: 'GET', route, status_code: '404', le: '+Inf' }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(after, 'http_request_duration_seconds_count', { route: '/internal/queues/summary', status_code: '401' }),
    ).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain('q_missing');
  });

  it('reports queue depth per tenant, pool and region from PostgreSQL at scrape time', async () => {
    const tenant = newTenant();
    const eu = await join(tenant, 'solo1', { time_control: '7+0', region: 'EU' });
    await join(tenant, 'solo2', { time_control: '9+0' });
    const text = await scrape();
    expect(
      sample(text, 'matchmaking_queue_depth', { tenant_id: tenant, pool_key: 'standard_7+0_rated', region: 'EU' }),
    ).toBe(1);
    expect(
      sample(text, 'matchmaking_queue_depth', { tenant_id: tenant, pool_key: 'standard_9+0_rated', region: 'ANY' }),
    ).toBe(1);
    await t.http().delete(`/internal/queue-entries/${eu.queue_entry_id}`).set(apiKey).expect(200);
    const later = await scrape();
    expect(sample(later, 'matchmaking_queue_depth', { tenant_id: tenant, pool_key: 'standard_7+0_rated' })).toBeNaN();
    expect(
      sample(later, 'matchmaking_queue_depth', { tenant_id: tenant, pool_key: 'standard_9+0_rated', region: 'ANY' }),
    ).toBe(1);
  });

  it('moves the tick, pair, wait, gap and game-creation figures when players are matched', async () => {
    const before = await scrape();
    const n = (text: string, name: string, labels?: Record<string, string>) => {
      const v = sample(text, name, labels);
      return Number.isNaN(v) ? 0 : v;
    };
    const tenant = newTenant();
    const a = await join(tenant, 'pa', { time_control: '5+0' });
    await join(tenant, 'pb', { time_control: '5+0' });
    await untilStatus(tenant, 'pa', a.queue_entry_id, 'MATCHED', 10_000);
    const after = await scrape();
    expect(n(after, 'matchmaking_tick_duration_seconds_count')).toBeGreaterThan(
      n(before, 'matchmaking_tick_duration_seconds_count'),
    );
    expect(n(after, 'matchmaking_pairs_per_tick_sum')).toBeGreaterThanOrEqual(
      n(before, 'matchmaking_pairs_per_tick_sum') + 1,
    );
    expect(n(after, 'matchmaking_match_wait_seconds_count')).toBeGreaterThanOrEqual(
      n(before, 'matchmaking_match_wait_seconds_count') + 1,
    );
    expect(n(after, 'matchmaking_match_rating_gap_count', { format: '1v1' })).toBeGreaterThanOrEqual(
      n(before, 'matchmaking_match_rating_gap_count', { format: '1v1' }) + 1,
    );
    const created = { outcome: 'created' };
    expect(n(after, 'matchmaking_game_creation_attempts_total', created)).toBeGreaterThanOrEqual(
      n(before, 'matchmaking_game_creation_attempts_total', created) + 1,
    );
    expect(n(after, 'matchmaking_game_creation_duration_seconds_count', created)).toBeGreaterThanOrEqual(
      n(before, 'matchmaking_game_creation_duration_seconds_count', created) + 1,
    );
  });

  it('counts failed attempts and matches whose game creation failed for good', async () => {
    const before = await scrape();
    const n = (text: string, name: string, labels?: Record<string, string>) => {
      const v = sample(text, name, labels);
      return Number.isNaN(v) ? 0 : v;
    };
    await stub.control({ fail_next: { count: 2, status: 503 } });
    const tenant = newTenant();
    await join(tenant, 'fa', { time_control: '5+0' });
    await join(tenant, 'fb', { time_control: '5+0' });
    await waitFor(
      async () =>
        n(await scrape(), 'matchmaking_game_creation_failures_total') >
        n(before, 'matchmaking_game_creation_failures_total'),
    );
    const after = await scrape();
    const retryable = { outcome: 'retryable_error' };
    expect(n(after, 'matchmaking_game_creation_attempts_total', retryable)).toBeGreaterThanOrEqual(
      n(before, 'matchmaking_game_creation_attempts_total', retryable) + 2,
    );
    expect(n(after, 'matchmaking_game_creation_failures_total')).toBe(
      n(before, 'matchmaking_game_creation_failures_total') + 1,
    );
  });

  it('is served by worker replicas, which serve nothing else', async () => {
    const worker = await startApp({ ROLE: 'worker', LIVE_GAME_API_URL: stub.url });
    try {
      const res = await worker.http().get('/metrics');
      expect(res.status).toBe(200);
      expect(sample(res.text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(res.text).toContain('# TYPE matchmaking_tick_duration_seconds histogram');
      expect((await worker.http().get('/internal/queues/summary').set(apiKey)).status).toBe(404);
      expect((await worker.http().get('/internal/jobs').set(apiKey)).status).toBe(404);
    } finally {
      await worker.close();
    }
  });
});
