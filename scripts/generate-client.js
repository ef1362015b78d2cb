#!/usr/bin/env node
// Generates the typed client's schema (clients/typescript/) from the served OpenAPI document.
//   npm run client:generate                      # from a running service on 127.0.0.1:3000
//   node scripts/generate-client.js --from <url|file> --out <dir>
// openapi-typescript is ESM-only with ESM dependencies, so its CLI runs as a process of its own.
/* global fetch */
const { execFileSync } = require('child_process');
const { mkdirSync, readFileSync, writeFileSync } = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

async function readDocument(from) {
  if (!/^https?:\/\//.test(from)) return JSON.parse(readFileSync(from, 'utf8'));
  const res = await fetch(from);
  if (!res.ok) throw new Error(`${from} answered ${res.status}`);
  return res.json();
}

async function main() {
  const from = option('--from', process.env.OPENAPI_URL || 'http://127.0.0.1:3000/docs-json');
  const out = path.resolve(option('--out', path.join(ROOT, 'clients/typescript')));
  const document = await readDocument(from);
  mkdirSync(path.join(out, 'src'), { recursive: true });
  const specFile = path.join(out, 'openapi.json');
  writeFileSync(specFile, `${JSON.stringify(document, null, 2)}\n`);
  // Defaults are applied by the server, so a field with a default stays optional for the client.
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'),
      specFile,
      '--default-non-nullable=false',
      '-o',
      path.join(out, 'src/schema.d.ts'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`client schema written to ${path.relative(process.cwd(), out) || '.'} from ${from}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
