import { spawnSync } from 'child_process';
import path from 'path';

const MAIN = path.join(__dirname, '../dist/apps/matchmaking/src/main.js');
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20000,
  });

describe('process start-up', () => {
  it.each([
    [{ JWT_SECRET: 'a-secret-of-sixteen-chars', PORT: 'eighty' }, 'PORT'],
    [{ JWT_SECRET: 'a-secret-of-sixteen-chars', MATCH_TICK_MS: '-1' }, 'MATCH_TICK_MS'],
    [{ JWT_SECRET: 'a-secret-of-sixteen-chars', DATABASE_URL: 'mysql://db' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
  ])('stops with exit code 1 and names the bad variable (%j)', (env, variable) => {
    const result = run(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(variable);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
