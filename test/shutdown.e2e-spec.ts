import http from 'http';
import request from 'supertest';
import { bearer, envFor } from './support/test-app';
import { createTestStorage } from './support/test-env';
import { ServiceProcess } from './support/service-process';

/** Kubernetes-shaped SIGTERM on a real api process: readiness turns 503 at once, event streams are drained. */
describe('SIGTERM on an api replica', () => {
  const processes: ServiceProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
  });

  const start = async (overrides: Record<string, string>) => {
    const storage = await createTestStorage();
    const p = await ServiceProcess.start(envFor(storage, { ROLE: 'api', LOG_LEVEL: 'info', ...overrides }));
    processes.push(p);
    return p;
  };

  /** An open `/events` stream of a fresh queue entry; resolves once its first event has arrived. */
  const openStream = async (service: ServiceProcess, user: string) => {
    const auth = bearer(user, { tenant_id: 'drain' });
    const joined = await request(service.url).post('/v1/matchmaking/queue').set(auth).send({ time_control: '5+0' });
    expect(joined.status).toBe(201);
    return new Promise<{ req: http.ClientRequest; ended: Promise<number> }>((resolve, reject) => {
      const req = http.get(`${service.url}/v1/matchmaking/queue/${joined.body.queue_entry_id}/events`, {
        headers: auth,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        const ended = new Promise<number>((done) => {
          res.on('end', () => done(Date.now()));
          res.on('close', () => done(Date.now()));
        });
        res.once('data', () => resolve({ req, ended }));
      });
    });
  };

  const exited = async (service: ServiceProcess) => {
    await service.waitForExit(20000);
    return Date.now();
  };

  it('answers 503 on /health/ready from the moment SIGTERM arrives, still serves during the delay, then exits 0', async () => {
    const service = await start({ SHUTDOWN_DELAY_MS: '2000' });
    expect((await request(service.url).get('/health/ready')).status).toBe(200);
    const signalled = Date.now();
    service.kill('SIGTERM');
    const exit = exited(service);
    let ready = await request(service.url).get('/health/ready');
    // The signal is delivered asynchronously; the very next probes must see it within a few milliseconds.
    for (let i = 0; ready.status === 200 && i < 20; i++) ready = await request(service.url).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 503, error: { shutdown: { status: 'down' } } });
    expect(Date.now() - signalled).toBeLessThan(1000);
    // Traffic the Service still routes here before it notices is served normally.
    expect((await request(service.url).get('/health/live')).status).toBe(200);
    const active = await request(service.url)
      .get('/v1/matchmaking/active')
      .set(bearer('late', { tenant_id: 'drain' }));
    expect(active.status).toBe(200);
    expect((await exit) - signalled).toBeGreaterThanOrEqual(2000);
    expect(service.exitCode).toBe(0);
  }, 60000);

  it('waits for an open event stream to close before exiting', async () => {
    const service = await start({ SHUTDOWN_DELAY_MS: '0', SHUTDOWN_DRAIN_MS: '30000' });
    const stream = await openStream(service, 'sse-client-closes');
    service.kill('SIGTERM');
    const exit = exited(service);
    await new Promise((r) => setTimeout(r, 1500));
    expect(service.exitCode).toBeNull();
    const closedAt = Date.now();
    stream.req.destroy();
    const exitAt = await exit;
    expect(service.exitCode).toBe(0);
    expect(exitAt - closedAt).toBeLessThan(10000);
    expect(service.output).toMatch(/"ended_streams":0/);
  }, 60000);

  it('ends a stream still open at the drain deadline, then exits 0', async () => {
    const service = await start({ SHUTDOWN_DELAY_MS: '0', SHUTDOWN_DRAIN_MS: '1500' });
    const stream = await openStream(service, 'sse-client-stays');
    const signalled = Date.now();
    service.kill('SIGTERM');
    const endedAt = await stream.ended;
    expect(endedAt - signalled).toBeGreaterThanOrEqual(1400);
    await exited(service);
    expect(service.exitCode).toBe(0);
    expect(service.output).toMatch(/"ended_streams":1/);
  }, 60000);
});
