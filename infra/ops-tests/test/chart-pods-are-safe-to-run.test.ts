// Risk: pods that Kubernetes kills mid-shutdown (grace period shorter than the service's own
// deadline), run as root, write to their image, or have no resource bounds for the scheduler and
// the autoscaler.
import { chartVariants } from '../src/chart-variants.js';
import { renderChart } from '../src/helm.js';
import { containerEnvironment, workloads } from '../src/manifests.js';
import { loadServiceConfig, type ServiceName } from '../src/service-config.js';

describe.each(chartVariants)('pods rendered with $name', ({ options }) => {
  const manifests = renderChart(options);
  const pods = workloads(manifests).map((w) => [w.component, w] as const);
  const deployments = workloads(manifests)
    .filter((w) => w.manifest.kind === 'Deployment')
    .map((w) => [w.component, w] as const);

  it.each(deployments)(
    '%s: the grace period outlasts the preStop sleep plus the shutdown deadline the service reads',
    (component, workload) => {
      const container = workload.podSpec.containers[0];
      const env = containerEnvironment(container, manifests);
      const config = loadServiceConfig(component as ServiceName, env.values) as { shutdownTimeoutMs: number };
      const command: string[] = container.lifecycle?.preStop?.exec?.command ?? [];
      const preStopSeconds = command[0] === 'sleep' ? Number(command[1]) : 0;
      expect(workload.podSpec.terminationGracePeriodSeconds).toBeGreaterThan(
        preStopSeconds + config.shutdownTimeoutMs / 1000,
      );
    },
  );

  it.each(pods)(
    '%s runs as a non-root user with no privileges and a read-only root filesystem',
    (_c, workload) => {
      expect(workload.podSpec.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(workload.podSpec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(workload.podSpec.automountServiceAccountToken).toBe(false);
      for (const container of workload.podSpec.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        // The root filesystem is read-only: a writable temporary folder is mounted.
        const tmp = container.volumeMounts?.find((m: { mountPath: string }) => m.mountPath === '/tmp');
        expect(
          workload.podSpec.volumes.find((v: { name: string }) => v.name === tmp?.name)?.emptyDir,
        ).toBeDefined();
      }
    },
  );

  it.each(pods)('%s requests and limits CPU and memory', (_c, workload) => {
    for (const container of workload.podSpec.containers) {
      expect(container.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
      expect(container.resources.limits.memory).toBeDefined();
    }
  });

  it.each(deployments)('%s has liveness, readiness and startup probes over HTTP', (_c, workload) => {
    const container = workload.podSpec.containers[0];
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect(container[probe]?.httpGet?.path).toMatch(/^\/(healthz|readyz)$/);
    }
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
  });
});
