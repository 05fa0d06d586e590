// Risk: the chart does not install (lint errors, template errors, values the schema refuses), or
// a value set renders a different set of resources than it promises.
import { chartVariants } from '../src/chart-variants.js';
import { renderChart, renderNotes, runHelm, type Manifest } from '../src/helm.js';
import { paths } from '../src/repo.js';

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

  it('leaves KEDA, ServiceMonitors and the HPA out by default and renders them when asked', () => {
    const optional = ['ScaledObject', 'ServiceMonitor', 'HorizontalPodAutoscaler'];
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

  it.each(chartVariants)('prints NOTES.txt with $name', ({ options }) => {
    const notes = renderNotes(options);
    expect(notes).toContain('kubectl -n triggers port-forward svc/triggers-ingest-api');
    expect(notes).toContain('triggers-database');
  });
});
