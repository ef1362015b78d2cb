import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Environment, loadConfig } from './index';

const NOT_VALIDATED = '(not validated yet)';

interface Documented {
  name: string;
  /** null when the line is commented out: the variable has no default. */
  value: string | null;
  meaning: string;
}

/** `# meaning` then `NAME=default`, or `# NAME=` for a variable without a default. */
function readExample(): Documented[] {
  const lines = readFileSync(join(__dirname, '../../../.env.example'), 'utf8').split('\n');
  const documented: Documented[] = [];
  lines.forEach((line, i) => {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) return;
    const previous = lines[i - 1] ?? '';
    const meaning = previous.startsWith('#') && !/^#\s*[A-Z][A-Z0-9_]*=/.test(previous) ? previous.slice(1).trim() : '';
    documented.push({ name: match[2], value: match[1] ? null : match[3], meaning });
  });
  return documented;
}

const validated = () =>
  [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(Environment, '', true, false)
        .map((m) => m.propertyName),
    ),
  ].sort();

describe('.env.example', () => {
  const example = readExample();
  const listed = new Set(example.map((d) => d.name));
  const config = new Set(validated());

  it('lists every variable the config validates, and only those or ones marked as not validated yet', () => {
    expect({
      'validated by the config, missing from .env.example': [...config].filter((n) => !listed.has(n)),
      'in .env.example, neither validated nor marked "(not validated yet)"': example
        .filter((d) => !config.has(d.name) && !d.meaning.endsWith(NOT_VALIDATED))
        .map((d) => d.name),
      'marked "(not validated yet)" but validated now': example
        .filter((d) => config.has(d.name) && d.meaning.endsWith(NOT_VALIDATED))
        .map((d) => d.name),
    }).toEqual({
      'validated by the config, missing from .env.example': [],
      'in .env.example, neither validated nor marked "(not validated yet)"': [],
      'marked "(not validated yet)" but validated now': [],
    });
  });

  it('gives each variable once, with a line saying what it means', () => {
    expect(example.filter((d, i) => example.findIndex((o) => o.name === d.name) !== i).map((d) => d.name)).toEqual([]);
    expect(example.filter((d) => !d.meaning).map((d) => d.name)).toEqual([]);
  });

  it('shows the defaults loadConfig applies: setting each listed value changes nothing', () => {
    const base = { JWT_SECRET: 'a-secret-of-sixteen-chars' };
    const defaults = loadConfig(base);
    const differing = example
      .filter((d) => d.value !== null && config.has(d.name))
      .filter((d) => JSON.stringify(loadConfig({ ...base, [d.name]: d.value! })) !== JSON.stringify(defaults))
      .map((d) => `${d.name}=${d.value}`);
    expect(differing).toEqual([]);
  });

  it('comments out exactly the variables without a default', () => {
    const base = { JWT_SECRET: 'a-secret-of-sixteen-chars' };
    const defaults = JSON.stringify(loadConfig(base));
    const sample: Record<string, string> = {
      JWT_SECRET: 'another-secret-of-16-chars',
      JWT_ISSUER: 'issuer',
      JWT_AUDIENCE: 'audience',
      INTERNAL_API_KEY: 'an-internal-api-key-0123',
      LIVE_GAME_API_TOKEN: 'token',
      METRICS_TOKEN: 'a-metrics-token-0123',
      REGIONS: 'EU',
    };
    const unset = example.filter((d) => d.value === null).map((d) => d.name);
    expect(unset.sort()).toEqual(Object.keys(sample).sort());
    // each of them really is unset by default: giving it a value changes the configuration
    expect(unset.filter((n) => JSON.stringify(loadConfig({ ...base, [n]: sample[n] })) === defaults)).toEqual([]);
  });
});
