// Risk: the chart does not install (lint errors, template errors, values the schema refuses, two
// resources of one name under a long release name, a migration Helm stops waiting for), or a value
// set renders a different set of resources than it promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuleGroups } from '../src/alert-rules.js';
import { chartVariants } from '../src/chart-variants.js';
import { renderChart, renderNotes, runHelm, type Manifest } from '../src/helm.js';
import { paths } from '../src/repo.js';

/** Helm's default --timeout, in seconds: how long `helm upgrade` waits for the migrations hook. */
const HELM_DEFAULT_TIMEOUT_SECONDS = 300;

const kinds = (manifests: Manifest[]) => new Set(manifests.map((m) => m.kind));

describe('the Helm chart', () => {
  it.each(chartVariants)('passes helm lint --strict with $name', ({ options }) => {
    const args = ['lint', paths.chart, '--strict'];
    for (const file of options.valuesFiles ?? []) args.push('--values', file);
    for (const [key, value] of Object.entries(options.set ?? {}))
      args.push('--set', `${key}=${String(value)}`);
    const result = runHelm(args);
    expect({ status: result.status, output: result.stdout + result.stderr }).toMatchObject({ status: 0 });
    expect(result.stdout).toContain('0 chart(s) failed');
  });

  it.each(chartVariants)('renders with $name', ({ options }) => {
    const manifests = renderChart(options);
    expect(manifests.length).toBeGreaterThan(5);
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('renders one Deployment per service, the Services, ConfigMaps, PDBs, NetworkPolicies and the migrations hook by default', () => {
    const manifests = renderChart();
    const deployments = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name);
    expect(deployments.sort()).toEqual(['triggers-deliverer', 'triggers-ingest-api', 'triggers-processor']);
    expect(
      manifests
        .filter((m) => m.kind === 'Service')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual([
      'triggers-deliverer-metrics',
      'triggers-ingest-api',
      'triggers-ingest-api-metrics',
      'triggers-processor-metrics',
    ]);
    for (const kind of ['ConfigMap', 'PodDisruptionBudget', 'NetworkPolicy', 'Job', 'ServiceAccount']) {
      expect(kinds(manifests)).toContain(kind);
    }
    const job = manifests.find((m) => m.kind === 'Job')!;
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  });

  it('leaves KEDA, ServiceMonitors, the alert rules and the HPA out by default and renders them when asked', () => {
    const optional = ['ScaledObject', 'ServiceMonitor', 'PrometheusRule', 'HorizontalPodAutoscaler'];
    const defaults = kinds(renderChart());
    for (const kind of optional) expect(defaults).not.toContain(kind);
    const all = renderChart(chartVariants.find((v) => v.name === 'every optional part on')!.options);
    expect(
      all
        .filter((m) => m.kind === 'ScaledObject')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(['triggers-deliverer', 'triggers-processor']);
    expect(all.filter((m) => m.kind === 'ServiceMonitor')).toHaveLength(3);
    expect(all.filter((m) => m.kind === 'PrometheusRule')).toHaveLength(1);
    expect(all.filter((m) => m.kind === 'HorizontalPodAutoscaler')).toHaveLength(1);
  });

  it('gives autoscaled Deployments no replica count of their own (the autoscaler owns it)', () => {
    const production = renderChart({ valuesFiles: [paths.productionValues] });
    for (const deployment of production.filter((m) => m.kind === 'Deployment')) {
      expect({ name: deployment.metadata.name, replicas: deployment.spec.replicas }).toEqual({
        name: deployment.metadata.name,
        replicas: undefined,
      });
    }
    for (const deployment of renderChart().filter((m) => m.kind === 'Deployment')) {
      expect(deployment.spec.replicas).toBe(1);
    }
  });

  it('refuses misspelt values, variables the chart sets itself and KEDA scaling to zero', () => {
    const refused: Record<string, string | number | boolean>[] = [
      { 'ingestApi.replica': 2 },
      { 'processor.env.SHUTDOWN_TIMEOUT_MS': 1000 },
      { 'deliverer.env.DATABASE_URL': 'postgres://x' },
      { 'keda.enabled': true, 'processor.keda.minReplicas': 0 },
    ];
    for (const set of refused) {
      expect(() => renderChart({ set })).toThrow(/helm template failed/);
    }
  });

  it("ships infra/prometheus/alerts.yml's groups as they are, with runbook links made absolute when asked", () => {
    const rules = (set: Record<string, string | boolean>) =>
      renderChart({ set: { 'prometheusRule.enabled': true, ...set } }).find(
        (m) => m.kind === 'PrometheusRule',
      )!;
    expect(rules({}).spec.groups).toEqual(loadRuleGroups());
    const linked = rules({ 'prometheusRule.runbookBaseUrl': 'https://example.com/triggers/blob/main/' });
    const urls = (linked.spec.groups as ReturnType<typeof loadRuleGroups>).flatMap((g) =>
      g.rules.map((r) => r.annotations?.runbook_url),
    );
    expect(urls).toEqual(
      loadRuleGroups().flatMap((g) =>
        g.rules.map((r) => `https://example.com/triggers/blob/main/${r.annotations!.runbook_url!}`),
      ),
    );
  });

  it('gives every resource its own name of at most 63 characters under a 53-character release name', () => {
    const releaseName = 'the-release-name-of-fifty-three-characters-helm-limit';
    expect(releaseName).toHaveLength(53);
    const everyPart = chartVariants.find((v) => v.name === 'every optional part on')!.options;
    const manifests = renderChart({ ...everyPart, releaseName });
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    expect(manifests.filter((m) => m.metadata.name.length > 63).map((m) => m.metadata.name)).toEqual([]);
    const services = manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name);
    expect(services).toHaveLength(4);
    expect(services.every((name) => /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))).toBe(true);
  });

  it("ends a migration before Helm's default --timeout stops waiting for it, and documents a longer one", () => {
    const deadline = (valuesFiles: string[] = []) =>
      renderChart({ valuesFiles }).find((m) => m.kind === 'Job')!.spec.activeDeadlineSeconds as number;
    expect(deadline()).toBeLessThan(HELM_DEFAULT_TIMEOUT_SECONDS);
    // Production allows longer migrations: the chart README's install command waits longer still.
    const readme = readFileSync(join(paths.chart, 'README.md'), 'utf8');
    const timeout = /helm upgrade --install[^\n]*(?:\\\n[^\n]*)*--timeout (\d+)m/.exec(readme)?.[1];
    expect(Number(timeout) * 60).toBeGreaterThan(deadline([paths.productionValues]));
  });

  it.each(chartVariants)('prints NOTES.txt with $name', ({ options }) => {
    const notes = renderNotes(options);
    expect(notes).toContain('kubectl -n triggers port-forward svc/triggers-ingest-api');
    expect(notes).toContain('triggers-database');
  });
});
