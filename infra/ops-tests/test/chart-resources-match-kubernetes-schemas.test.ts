// Risk: a manifest that renders but that the API server (or KEDA's and the Prometheus operator's
// CRDs) would refuse: a wrong type, a missing required field, an API version that does not exist.
import { chartVariants } from '../src/chart-variants.js';
import { renderChart } from '../src/helm.js';
import { validateManifest } from '../src/kubernetes-schemas.js';

describe.each(chartVariants)('every resource rendered with $name', ({ options }) => {
  const manifests = renderChart(options);

  it.each(manifests.map((m) => [`${m.kind} ${m.metadata.name}`, m] as const))(
    '%s matches its schema',
    (_name, manifest) => {
      expect(() => validateManifest(manifest)).not.toThrow();
    },
  );
});

describe('validateManifest', () => {
  it('rejects a resource its schema refuses', () => {
    const [deployment] = renderChart().filter((m) => m.kind === 'Deployment');
    deployment!.spec.template.spec.containers[0].ports[0].containerPort = '9400';
    expect(() => validateManifest(deployment!)).toThrow(/containerPort must be integer/);
  });

  it('rejects an API it has no schema for', () => {
    expect(() =>
      validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }),
    ).toThrow(/no schema/);
  });
});
