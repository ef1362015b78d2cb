import { execFileSync, spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { bearer, TestApp, waitFor } from './support/test-app';
import { startWithStub, Stub } from './support/stub';
import { DEPLOY, metricNames, promQueries, scrapedNames } from './support/deploy-files';

/** Series Prometheus makes itself for every target, not exported by the service. */
const PROMETHEUS_SERIES = new Set(['up']);

function promtool(args: string[], cwd: string): string {
  const found = spawnSync('promtool', ['--version']);
  if (found.error) {
    throw new Error(
      "promtool is not installed: `apt-get install prometheus` (Debian's package ships it); .ci/run installs it",
    );
  }
  return execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
}

describe('deploy/prometheus: promtool accepts the config and rules, and the alerts fire on synthetic series', () => {
  it('passes promtool check config (with the rule files where the config mounts them) and check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-prom-'));
    cpSync(join(DEPLOY, 'prometheus'), join(dir, 'rules'), { recursive: true });
    const config = readFileSync(join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8').replaceAll(
      '/etc/prometheus/rules/',
      `${join(dir, 'rules')}/`,
    );
    writeFileSync(join(dir, 'prometheus.yml'), config);
    expect(promtool(['check', 'config', 'prometheus.yml'], dir)).toMatch(/SUCCESS: 2 rule files found/);
    const jobs = (parseYaml(config) as { scrape_configs: { job_name: string }[] }).scrape_configs.map(
      (s) => s.job_name,
    );
    expect(jobs).toEqual(['matchmaking-api', 'matchmaking-worker']);
  });

  it('passes promtool test rules: queue wait, 5xx, PENDING pile-up and tick-duration alerts', () => {
    expect(promtool(['test', 'rules', 'alerts.test.yml'], join(DEPLOY, 'prometheus'))).toMatch(/SUCCESS/);
  });

  it('mounts the config, every rule file it loads and the Grafana provisioning into docker compose', () => {
    const compose = parseYaml(readFileSync(join(DEPLOY, '../docker-compose.yml'), 'utf8'));
    const mounts = (service: string) =>
      new Map<string, string>(
        (compose.services[service].volumes as string[]).map((v) => {
          const [host, container] = v.split(':');
          expect([v, existsSync(join(DEPLOY, '..', host))]).toEqual([v, true]);
          return [container, host];
        }),
      );
    const prometheus = mounts('prometheus');
    const config = parseYaml(readFileSync(join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8'));
    for (const file of ['/etc/prometheus/prometheus.yml', ...config.rule_files])
      expect(prometheus.has(file)).toBe(true);
    const grafana = mounts('grafana');
    const provider = parseYaml(readFileSync(join(DEPLOY, 'grafana/provisioning/dashboards/matchmaking.yml'), 'utf8'));
    expect(grafana.get(provider.providers[0].options.path)).toBe('./deploy/grafana/dashboards');
    expect(grafana.get('/etc/grafana/provisioning')).toBe('./deploy/grafana/provisioning');
  });

  it('has a runbook and a severity on every alert', () => {
    const doc = parseYaml(readFileSync(join(DEPLOY, 'prometheus/alerts.rules.yml'), 'utf8')) as {
      groups: { rules: { alert: string; labels?: { severity?: string }; annotations?: { runbook?: string } }[] }[];
    };
    const alerts = doc.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'MatchmakingGameCreationErrors',
      'MatchmakingGameCreationFailing',
      'MatchmakingHttp5xx',
      'MatchmakingNotReady',
      'MatchmakingPendingMatchesPilingUp',
      'MatchmakingQueueWaitHigh',
      'MatchmakingTickNearInterval',
    ]);
    for (const a of alerts) {
      expect([a.alert, a.labels?.severity]).toEqual([a.alert, expect.stringMatching(/^(warning|critical)$/)]);
      expect([a.alert, (a.annotations?.runbook ?? '').length > 40]).toEqual([a.alert, true]);
    }
  });
});

describe('deploy/grafana and the rules query only metrics the service really exports', () => {
  let stub: Stub;
  let t: TestApp;

  beforeAll(async () => {
    ({ stub, t } = await startWithStub({ ACTIVE_GAME_CHECK: 'false' }));
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  it('finds every metric of every PromQL expression in a /metrics scrape taken after a match', async () => {
    const tenant = `dash${Date.now().toString(36)}`;
    const ids: string[] = [];
    for (const user of ['ann', 'ben']) {
      const res = await t
        .http()
        .post('/v1/matchmaking/queue')
        .set(bearer(user, { tenant_id: tenant }))
        .send({ time_control: '3+0', region: 'EU' });
      expect(res.status).toBe(201);
      ids.push(res.body.queue_entry_id);
    }
    await waitFor(async () => {
      const res = await t
        .http()
        .get(`/v1/matchmaking/queue/${ids[0]}`)
        .set(bearer('ann', { tenant_id: tenant }));
      return res.body.game_id;
    });
    // Someone still waiting, so the queue-depth gauge (SEARCHING entries only) has a series too.
    await t
      .http()
      .post('/v1/matchmaking/queue')
      .set(bearer('cat', { tenant_id: tenant }))
      .send({ time_control: '10+0' })
      .expect(201);
    const scraped = scrapedNames((await t.http().get('/metrics').expect(200)).text);

    const { queries, recorded } = promQueries();
    expect(queries.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const q of queries) {
      for (const name of metricNames(q.expr)) {
        if (!scraped.has(name) && !recorded.has(name) && !PROMETHEUS_SERIES.has(name))
          missing.push(`${q.where}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('provisions the dashboard and points every panel at the provisioned Prometheus data source', () => {
    const datasources = parseYaml(
      readFileSync(join(DEPLOY, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    );
    const uid = datasources.datasources[0].uid;
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana/dashboards/matchmaking.json'), 'utf8'));
    for (const panel of dashboard.panels) {
      expect([panel.title, panel.datasource.uid]).toEqual([panel.title, uid]);
      expect([panel.title, panel.targets.length > 0]).toEqual([panel.title, true]);
    }
    const titles = dashboard.panels.map((p: { title: string }) => p.title).join(' | ');
    for (const topic of [
      /queue depth/i,
      /wait/i,
      /pairs per tick/i,
      /tick duration/i,
      /rating gap/i,
      /game creation/i,
      /HTTP/,
      /memory/i,
      /event-loop/i,
    ])
      expect(titles).toMatch(topic);
  });
});
