import { JwtService } from '@nestjs/jwt';
import { spawn } from 'child_process';
import path from 'path';
import { DEVELOPMENT_JWT_SECRET } from '../libs/config/src';
import { freePort, ServiceProcess } from './support/service-process';
import { startWithStub, Stub } from './support/stub';
import { envFor, TEST_API_KEY, TEST_JWT_SECRET, TestApp, waitFor } from './support/test-app';
import { createTestStorage } from './support/test-env';

const DIST = path.join(__dirname, '../dist');
const TOKEN = path.join(DIST, 'apps/cli/src/token.js');
const DEMO = path.join(DIST, 'apps/cli/src/demo.js');
const MAIN = path.join(DIST, 'apps/matchmaking/src/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A built command as a person runs it: its own environment (no inherited JWT_SECRET or NODE_ENV). */
function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    child.on('exit', (code) => resolve({ code, ...out }));
  });
}

const verify = (token: string, secret: string) => new JwtService().verify(token, { secret, algorithms: ['HS256'] });

describe('npm run token and npm run demo', () => {
  let stub: Stub;
  let t: TestApp;
  const asTest = { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET };

  beforeAll(async () => {
    ({ stub, t } = await startWithStub());
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('prints a token signed with JWT_SECRET carrying the claims asked for, which the service accepts', async () => {
    const r = await run(TOKEN, ['carol', '--tenant', 'acme', '--admin', '--operator', '--ttl', '2h'], asTest);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const token = r.stdout.trim();
    expect(r.stdout).toBe(`${token}\n`);
    const claims = verify(token, TEST_JWT_SECRET);
    expect(claims).toMatchObject({ sub: 'carol', tenant_id: 'acme', roles: ['admin', 'operator'] });
    expect(claims.exp - claims.iat).toBe(7200);
    expect(() => verify(token, DEVELOPMENT_JWT_SECRET)).toThrow(/signature/);

    const me = await t.http().get('/v1/players/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ user_id: 'carol', tenant_id: 'acme' });
    await t.http().get('/internal/queues/summary').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('leaves out the claims not asked for: default tenant, no roles, one hour', async () => {
    const r = await run(TOKEN, ['dave'], asTest);
    const claims = verify(r.stdout.trim(), TEST_JWT_SECRET);
    expect(claims.tenant_id).toBeUndefined();
    expect(claims.roles).toBeUndefined();
    expect(claims.exp - claims.iat).toBe(3600);
    const token = r.stdout.trim();
    await t.http().get('/internal/queues/summary').set('Authorization', `Bearer ${token}`).expect(403);
  });

  it('signs with the development key under NODE_ENV=development only, and says so otherwise', async () => {
    const dev = await run(TOKEN, ['erin'], { NODE_ENV: 'development' });
    expect(dev.code).toBe(0);
    expect(verify(dev.stdout.trim(), DEVELOPMENT_JWT_SECRET)).toMatchObject({ sub: 'erin' });

    for (const env of [{}, { NODE_ENV: 'production' }, { NODE_ENV: 'test' }] as Record<string, string>[]) {
      const refused = await run(TOKEN, ['erin'], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('JWT_SECRET is not set');
      expect(refused.stderr).toContain('NODE_ENV=development npm run token -- alice');
    }
  });

  it('refuses a bad user id, tenant or lifetime with exit code 2, naming it', async () => {
    for (const [args, names] of [
      [['bad id'], 'user_id'],
      [['frank', '--tenant', 'a b'], '--tenant'],
      [['frank', '--ttl', '1y'], '--ttl'],
      [[], 'expected one user_id'],
    ] as const) {
      const r = await run(TOKEN, [...args], asTest);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toContain(names);
    }
  });

  it('demo: two players are matched, a result, a challenge and another result move both ratings; exit 0', async () => {
    const r = await run(DEMO, ['--url', t.url], asTest);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/live: Alice's entry is MATCHING: paired with Bob \(1500\)/);
    expect(r.stdout).toMatch(/live: Alice's entry is MATCHED: game g_/);
    expect(r.stdout).toMatch(/ACCEPTED: game g_/);
    expect(r.stdout).toMatch(/1500 → 1662, \S+ 1500 → 1338/);
    expect(r.stdout).toContain('All 5 steps did what they say.');
    expect(r.stdout).not.toContain('POST /v1/matchmaking/queue');
    const games = await stub.games();
    expect(games.length).toBeGreaterThanOrEqual(2);
  });

  it('demo --verbose shows every HTTP call; results go with INTERNAL_API_KEY when it is set', async () => {
    const r = await run(DEMO, ['--url', t.url, '--verbose', '--tenant', 'demo-verbose'], {
      ...asTest,
      INTERNAL_API_KEY: TEST_API_KEY,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('results are posted with INTERNAL_API_KEY');
    expect(r.stdout).toMatch(
      /POST \/v1\/matchmaking\/queue \(as Alice\) \{"time_control":"3\+2","mode":"rated"\}\n\s+→ 201/,
    );
    expect(r.stdout).toMatch(
      /POST \/internal\/games\/g_\S+\/result \(as the live-game API\) \{"result":"draw"\}\n\s+→ 200/,
    );
    expect(r.stdout).not.toContain(TEST_API_KEY);
  });

  it('demo exits 1 at the first step that does not do what it says', async () => {
    const r = await run(DEMO, ['--url', t.url], { NODE_ENV: 'test', JWT_SECRET: 'not-the-service-key-0123' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /2\. Alice and Bob join[^\n]*\n\s+✗ POST \/v1\/matchmaking\/queue answered 401, expected 201/,
    );
    expect(r.stdout).toContain('Stopped at step 2 of 5.');

    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await run(DEMO, ['--url', nobody], asTest);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(`✗ GET ${nobody}/health/ready failed: ECONNREFUSED`);
  });
});

describe('log format of the built service', () => {
  it('is JSON lines under NODE_ENV=development when stdout is not a terminal', async () => {
    const storage = await createTestStorage();
    const service = await ServiceProcess.start(envFor(storage, { NODE_ENV: 'development', LOG_LEVEL: 'info' }));
    try {
      await waitFor(async () => service.output.includes('successfully started'), 10000);
      const lines = service.output.split('\n').filter((l) => l.trim());
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.filter((l) => !isJson(l))).toEqual([]);
    } finally {
      await service.stop();
    }
  });

  it('is pretty, coloured lines under NODE_ENV=development on a terminal', async () => {
    const storage = await createTestStorage();
    const env = { ...process.env, ...envFor(storage, { NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0' }) };
    // util-linux `script` gives the service a pseudo-terminal, as a developer's shell would
    const child = spawn('script', ['-qfec', `${process.execPath} ${MAIN}`, '/dev/null'], { env, detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    try {
      await waitFor(async () => output.includes('successfully started'), 30000);
      const started = output.split('\n').find((l) => l.includes('successfully started'))!;
      expect(isJson(started)).toBe(false);
      expect(started).toMatch(/INFO/);
      expect(started).toContain('\u001b['); // ANSI colour
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });
});

function isJson(line: string): boolean {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
}
