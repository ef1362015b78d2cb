#!/usr/bin/env node
// Starts the built service and the live-game stub side by side on this machine's PostgreSQL and
// Redis, with development defaults (NODE_ENV=development: a fixed JWT key). Ctrl-C stops both.
/* global fetch */
const { spawn } = require('child_process');
const path = require('path');

const port = process.env.PORT || '3000';
const stubPort = process.env.STUB_PORT || '8002';
const env = {
  NODE_ENV: 'development',
  INTERNAL_API_KEY: 'dev-internal-api-key-change-me',
  LIVE_GAME_API_URL: `http://127.0.0.1:${stubPort}`,
  ...process.env,
};
const children = [
  spawn(process.execPath, [path.join(__dirname, '../dist/apps/live-game-stub/src/main.js')], {
    env: {
      ...env,
      STUB_PORT: stubPort,
      STUB_RESULT_URL: `http://127.0.0.1:${port}`,
      STUB_RESULT_API_KEY: env.INTERNAL_API_KEY,
    },
    stdio: 'inherit',
  }),
  spawn(process.execPath, [path.join(__dirname, '../dist/apps/matchmaking/src/main.js')], {
    env: { ...env, PORT: port },
    stdio: 'inherit',
  }),
];
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => children.forEach((c) => c.kill('SIGTERM')));
let exited = 0;
for (const child of children)
  child.on('exit', (code) => {
    if (++exited === children.length) process.exit(code ?? 0);
    children.forEach((c) => c.kill('SIGTERM'));
  });
void announceWhenReady();

/** Once /health/ready answers, the URLs and the commands a person needs next, printed once. */
async function announceWhenReady() {
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  let ready = false;
  while (!ready && Date.now() < deadline && exited === 0) {
    ready = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 500));
  }
  if (!ready) return;
  const { signingConfig, signToken } = require('../dist/apps/cli/src/token/sign-token');
  const operatorToken = signToken(signingConfig(env), {
    userId: 'local-operator',
    roles: ['operator'],
    ttlSeconds: 8 * 3600,
  });
  const tokenEnv = process.env.JWT_SECRET ? '' : 'NODE_ENV=development ';
  const demoUrl = port === '3000' ? '' : ` -- --url ${base}`;
  console.log(
    [
      '',
      `matchmaking is ready (${env.NODE_ENV}; tokens are signed with ${process.env.JWT_SECRET ? 'JWT_SECRET' : 'the development key'})`,
      `  API        ${base}/v1/matchmaking`,
      `  docs       ${base}/docs   (Authorize: paste a token from the command below)`,
      `  dashboard  ${base}/internal/jobs?access_token=${operatorToken}`,
      `  stub       http://127.0.0.1:${stubPort}/control`,
      `  a token    TOKEN=$(${tokenEnv}npm run -s token -- alice)`,
      `  a demo     npm run demo${demoUrl}`,
      '',
    ].join('\n'),
  );
}
