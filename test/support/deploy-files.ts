import { parser } from '@prometheus-io/lezer-promql';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

export const DEPLOY = join(__dirname, '../../deploy');

export interface Query {
  where: string;
  expr: string;
}

/** Every PromQL expression of the Prometheus rules and of the Grafana dashboards, with where it is. */
export function promQueries(): { queries: Query[]; recorded: Set<string> } {
  const queries: Query[] = [];
  const recorded = new Set<string>();
  const rulesDir = join(DEPLOY, 'prometheus');
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.rules.yml'))) {
    const doc = parseYaml(readFileSync(join(rulesDir, file), 'utf8')) as {
      groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
    };
    for (const rule of doc.groups.flatMap((g) => g.rules)) {
      if (rule.record) recorded.add(rule.record);
      queries.push({ where: `${file} ${rule.record ?? rule.alert}`, expr: rule.expr });
    }
  }
  const dashboards = join(DEPLOY, 'grafana/dashboards');
  for (const file of readdirSync(dashboards).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dashboards, file), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) queries.push({ where: `${file} "${panel.title}"`, expr: target.expr });
    }
  }
  return { queries, recorded };
}

/** The metric names a PromQL expression selects, by Prometheus' own parser; throws on a syntax error. */
export function metricNames(expr: string): string[] {
  // Grafana's interval variables are not PromQL; a duration stands in for them.
  const text = expr.replace(/\$__(rate_)?interval/g, '5m');
  const names: string[] = [];
  const cursor = parser.parse(text).cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in: ${expr}`);
    if (cursor.name === 'Identifier') {
      const node = cursor.node;
      if (node.parent?.name === 'VectorSelector') names.push(text.slice(cursor.from, cursor.to));
    }
  } while (cursor.next());
  return names;
}

/** Sample names of a Prometheus text scrape (histograms appear as their _bucket, _sum and _count series). */
export function scrapedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)[{ ]/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

/** All Kubernetes objects of deploy/k8s, with the file each came from. */
export function k8sObjects(): { file: string; object: Record<string, any> }[] {
  const dir = join(DEPLOY, 'k8s');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8'))
        .map((d) => d.toJSON() as Record<string, any> | null)
        .filter((object): object is Record<string, any> => !!object && object.kind !== 'Kustomization')
        .map((object) => ({ file, object })),
    );
}
