// Risk: NetworkPolicies that leave a pod open (no policy, or a rule with no port), let services
// other than the deliverer reach the internet, or let the deliverer reach private networks and the
// cloud metadata address (SSRF), or that do not exist yet when the pre-install migration runs.
import { chartVariants } from '../src/chart-variants.js';
import { renderChart, type Manifest } from '../src/helm.js';
import { ofKind, selects, workloads } from '../src/manifests.js';

interface Rule {
  ports?: { port: string | number }[];
  to?: { ipBlock?: { cidr: string; except?: string[] } }[];
}

const variants = chartVariants.filter((v) => v.options.set?.['networkPolicy.enabled'] !== false);
const everywhere = (rule: Rule) => (rule.to ?? []).some((peer) => peer.ipBlock?.cidr === '0.0.0.0/0');

describe.each(variants)('NetworkPolicies rendered with $name', ({ options }) => {
  const manifests = renderChart(options);
  const policies = ofKind(manifests, 'NetworkPolicy');
  const policyOf = (labels: Record<string, string>): Manifest[] =>
    policies.filter((p) => selects(p.spec.podSelector.matchLabels, labels));

  it.each(workloads(manifests).map((w) => [w.component, w] as const))(
    '%s is fenced in both directions by exactly one policy',
    (_component, workload) => {
      const mine = policyOf(workload.podLabels);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    },
  );

  it('opens only the ingest API port to callers, and metrics ports to the scrapers', () => {
    for (const policy of policies) {
      for (const rule of policy.spec.ingress ?? []) {
        const ports = (rule.ports ?? []).map((p: { port: string }) => p.port);
        expect(ports.length).toBeGreaterThan(0);
        if (ports.includes('http'))
          expect(policy.metadata.labels?.['app.kubernetes.io/component']).toBe('ingest-api');
        else expect(ports).toEqual(['metrics']);
      }
    }
  });

  it('lets only the deliverer reach the internet, and never private or metadata addresses', () => {
    for (const policy of policies) {
      const component = policy.metadata.labels?.['app.kubernetes.io/component'];
      const rules = (policy.spec.egress ?? []) as Rule[];
      for (const rule of rules) {
        if (component !== 'deliverer') expect(rule.ports?.length).toBeGreaterThan(0);
        if (everywhere(rule)) {
          expect(component).toBe('deliverer');
          const except = rule.to!.find((peer) => peer.ipBlock?.cidr === '0.0.0.0/0')!.ipBlock!.except;
          expect(except).toEqual(
            expect.arrayContaining([
              '10.0.0.0/8',
              '172.16.0.0/12',
              '192.168.0.0/16',
              '169.254.0.0/16',
              '127.0.0.0/8',
            ]),
          );
        }
      }
    }
    const deliverer = policies.find(
      (p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'deliverer',
    )!;
    expect((deliverer.spec.egress as Rule[]).some(everywhere)).toBe(true);
  });

  it('exists before the pre-install migration Job runs', () => {
    const job = ofKind(manifests, 'Job')[0];
    if (!job) return;
    const [policy] = policyOf(job.spec.template.metadata.labels);
    const hook = (m: Manifest) => m.metadata.annotations ?? {};
    expect(hook(policy!)['helm.sh/hook']).toBe(hook(job)['helm.sh/hook']);
    expect(Number(hook(policy!)['helm.sh/hook-weight'])).toBeLessThan(
      Number(hook(job)['helm.sh/hook-weight']),
    );
  });
});
