import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../libs/config/src';
import { startApp, TEST_JWT_SECRET, TestApp } from './support/test-app';
import { DEPLOY, k8sObjects } from './support/deploy-files';

/** `apps/v1` + `Deployment` → the kubernetes-models module of that kind (core kinds live under `v1/`). */
const modelPath = (apiVersion: string, kind: string) => `kubernetes-models/${apiVersion}/${kind}`;

const objects = k8sObjects();
const byKind = (kind: string) => objects.filter((o) => o.object.kind === kind).map((o) => o.object);
const deployment = (component: string) =>
  byKind('Deployment').find((d) => d.metadata.name === `matchmaking-${component}`)!;
const container = (d: any) => d.spec.template.spec.containers[0];
const configMap = byKind('ConfigMap')[0];
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/k8s: manifests a maintained schema validator accepts, shaped for this service', () => {
  it('lists every manifest file in the Kustomize base', () => {
    const kustomization = parseYaml(readFileSync(join(DEPLOY, 'k8s/kustomization.yaml'), 'utf8'));
    expect([...kustomization.resources].sort()).toEqual([...new Set(objects.map((o) => o.file))].sort());
  });

  it('validates every object against the Kubernetes schemas (kubernetes-models)', () => {
    const problems: string[] = [];
    for (const { file, object } of objects) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const models = require(modelPath(object.apiVersion, object.kind));
      try {
        new models[object.kind](object).validate();
      } catch (error) {
        problems.push(`${file} ${object.kind}/${object.metadata?.name}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(objects.map((o) => o.object.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Job',
        'Namespace',
        'PodDisruptionBudget',
        'PodDisruptionBudget',
        'Service',
      ].sort(),
    );
  });

  it('has no unknown field anywhere (the schemas allow extra fields; the typed models do not)', () => {
    // A misspelt `readinesProbe` passes the JSON schemas; TypeScript's excess-property check on the typed models catches it.
    const dir = mkdtempSync(join(tmpdir(), 'mm-k8s-'));
    const lines = objects.map(({ object }, i) => {
      const type = `I${object.kind}`;
      return `import type { ${type} as T${i} } from '${modelPath(object.apiVersion, object.kind)}';\nexport const o${i}: T${i} = ${JSON.stringify(object)};`;
    });
    writeFileSync(join(dir, 'manifests.ts'), lines.join('\n'));
    const program = ts.createProgram([join(dir, 'manifests.ts')], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      baseUrl: dir,
      paths: { 'kubernetes-models/*': [resolve('node_modules/kubernetes-models/*')] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });

  it('runs the api and worker roles non-root, read-only, with resources, from config and secrets by reference', () => {
    for (const [component, role] of [
      ['api', 'api'],
      ['worker', 'worker'],
    ]) {
      const d = deployment(component);
      const c = container(d);
      expect(c.env).toContainEqual({ name: 'ROLE', value: role });
      expect(c.envFrom).toEqual([
        { configMapRef: { name: configMap.metadata.name } },
        { secretRef: { name: 'matchmaking-secrets' } },
      ]);
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits.memory).toEqual(expect.any(String));
    }
    const job = byKind('Job')[0];
    expect(container(job).command).toEqual(['node', 'dist/libs/persistence/src/migrate.js']);
    expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('gives SIGTERM enough time for the readiness delay, the stream drain and the job drain', () => {
    const config = loadConfig({ ...configMap.data, JWT_SECRET: TEST_JWT_SECRET });
    const needed = (config.shutdown.delayMs + config.shutdown.drainMs) / 1000;
    for (const component of ['api', 'worker']) {
      const grace = deployment(component).spec.template.spec.terminationGracePeriodSeconds;
      // Ten seconds beyond the drain for jobs in flight: a live-game call is bounded by LIVE_GAME_API_TIMEOUT_MS (5 s).
      expect(grace).toBeGreaterThanOrEqual(needed + (2 * config.liveGame.timeoutMs) / 1000);
    }
  });

  it('points the Service, HPA and PodDisruptionBudgets at the right pods', () => {
    const api = deployment('api');
    const worker = deployment('worker');
    const [service] = byKind('Service');
    expect(matches(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    expect(matches(service.spec.selector, worker.spec.template.metadata.labels)).toBe(false);
    expect(service.spec.ports[0].targetPort).toBe('http');
    const [hpa] = byKind('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: api.metadata.name });
    const pdbs = byKind('PodDisruptionBudget');
    for (const d of [api, worker]) {
      expect(pdbs.filter((p) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels))).toHaveLength(1);
    }
  });

  describe('probes against the real app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startApp();
    });
    afterAll(() => t.close());

    it('probes paths the app answers 200 on, on the port the app listens on', async () => {
      const config = loadConfig({ ...configMap.data, JWT_SECRET: TEST_JWT_SECRET });
      for (const component of ['api', 'worker']) {
        const c = container(deployment(component));
        const http = c.ports.find((p: any) => p.name === 'http');
        expect(http.containerPort).toBe(config.port);
        expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
          expect(probe.httpGet.port).toBe('http');
          expect((await t.http().get(probe.httpGet.path)).status).toBe(200);
        }
      }
    });
  });
});
