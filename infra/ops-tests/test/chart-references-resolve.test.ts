// Risk: resources that point at nothing: a Service or PDB whose selector matches no pod, a named
// port no container declares, an autoscaler or ServiceMonitor aimed at a missing target.
import { chartVariants } from '../src/chart-variants.js';
import { renderChart } from '../src/helm.js';
import { containerPort, named, ofKind, selects, workloads, type Workload } from '../src/manifests.js';

describe.each(chartVariants)('references rendered with $name', ({ options }) => {
  const manifests = renderChart(options);
  const pods = workloads(manifests);
  const deployments = pods.filter((w) => w.manifest.kind === 'Deployment');
  const selected = (selector: Record<string, string> | undefined, among: Workload[] = deployments) =>
    among.filter((w) => selects(selector, w.podLabels));

  it('each Deployment selects its own pods', () => {
    for (const w of deployments)
      expect(selects(w.manifest.spec.selector.matchLabels, w.podLabels)).toBe(true);
  });

  it.each(ofKind(manifests, 'Service').map((s) => [s.metadata.name, s] as const))(
    'Service %s selects exactly one Deployment, on ports its container declares',
    (_name, service) => {
      const targets = selected(service.spec.selector);
      expect(targets.map((w) => w.component)).toHaveLength(1);
      const container = targets[0]!.podSpec.containers[0];
      for (const port of service.spec.ports) {
        expect({ port: port.name, containerPort: containerPort(container, port.targetPort) }).toEqual({
          port: port.name,
          containerPort: expect.any(Number),
        });
      }
    },
  );

  it('PodDisruptionBudgets cover Deployments', () => {
    for (const pdb of ofKind(manifests, 'PodDisruptionBudget')) {
      expect(selected(pdb.spec.selector.matchLabels)).toHaveLength(1);
    }
  });

  it('NetworkPolicies apply to pods that exist and open ports those pods declare', () => {
    for (const policy of ofKind(manifests, 'NetworkPolicy')) {
      const targets = selected(policy.spec.podSelector.matchLabels, pods);
      expect({ policy: policy.metadata.name, pods: targets.length }).toEqual({
        policy: policy.metadata.name,
        pods: 1,
      });
      for (const rule of policy.spec.ingress ?? []) {
        for (const port of rule.ports ?? []) {
          expect(containerPort(targets[0]!.podSpec.containers[0], port.port)).toEqual(expect.any(Number));
        }
      }
    }
  });

  it('ServiceMonitors select a metrics Service by a port it has, and take labels it and its pods carry', () => {
    for (const monitor of ofKind(manifests, 'ServiceMonitor')) {
      const services = ofKind(manifests, 'Service').filter((s) =>
        selects(monitor.spec.selector.matchLabels, s.metadata.labels ?? {}),
      );
      expect(services).toHaveLength(1);
      for (const endpoint of monitor.spec.endpoints) {
        expect(services[0]!.spec.ports.map((p: { name: string }) => p.name)).toContain(endpoint.port);
      }
      expect(services[0]!.metadata.labels?.[monitor.spec.jobLabel]).toEqual(expect.any(String));
      const [target] = selected(services[0]!.spec.selector);
      for (const label of monitor.spec.podTargetLabels ?? []) {
        expect(target!.podLabels[label as string]).toEqual(expect.any(String));
      }
    }
  });

  it('autoscalers target Deployments that exist (and request CPU when scaling on it)', () => {
    for (const scaler of [
      ...ofKind(manifests, 'HorizontalPodAutoscaler'),
      ...ofKind(manifests, 'ScaledObject'),
    ]) {
      const target = named(manifests, 'Deployment', scaler.spec.scaleTargetRef.name);
      expect(target).toBeDefined();
      if (scaler.kind === 'HorizontalPodAutoscaler') {
        expect(target!.spec.template.spec.containers[0].resources.requests.cpu).toBeDefined();
      }
    }
  });

  it("KEDA queries read the scaled Deployment's own metrics: its Prometheus job, in its release", () => {
    for (const scaler of ofKind(manifests, 'ScaledObject')) {
      const target = named(manifests, 'Deployment', scaler.spec.scaleTargetRef.name)!;
      const podLabels = target.spec.template.metadata.labels as Record<string, string>;
      for (const trigger of scaler.spec.triggers) {
        const query = trigger.metadata.query as string;
        const job = /job="([^"]+)"/.exec(query)?.[1];
        const services = ofKind(manifests, 'Service').filter(
          (s) => s.metadata.labels?.['triggers.dev/job'] === job,
        );
        expect(services).toHaveLength(1);
        expect(selects(services[0]!.spec.selector, podLabels)).toBe(true);
        expect(/app_kubernetes_io_instance="([^"]+)"/.exec(query)?.[1]).toBe(
          podLabels['app.kubernetes.io/instance'],
        );
      }
    }
  });

  it('pods use a ServiceAccount the chart renders, or the namespace default', () => {
    const accounts = ofKind(manifests, 'ServiceAccount').map((a) => a.metadata.name);
    for (const w of pods) {
      const name = w.podSpec.serviceAccountName ?? 'default';
      if (name !== 'default') expect(accounts).toContain(name);
    }
  });
});
