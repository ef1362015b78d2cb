#!/usr/bin/env node
// Starts the built service and the live-game stub side by side on this machine's PostgreSQL and
// Redis, with development defaults (NODE_ENV=development: a fixed JWT key). Ctrl-C stops both.
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
console.log(`matchmaking on http://127.0.0.1:${port} (docs: /docs), live-game stub on http://127.0.0.1:${stubPort}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => children.forEach((c) => c.kill('SIGTERM')));
let exited = 0;
for (const child of children)
  child.on('exit', (code) => {
    if (++exited === children.length) process.exit(code ?? 0);
    children.forEach((c) => c.kill('SIGTERM'));
  });
