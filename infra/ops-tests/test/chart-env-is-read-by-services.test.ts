// Risk: a variable the manifests set that no service reads (a typo, a renamed setting: the
// deployment silently runs on the default), a required one missing, or a value the service refuses
// at start (it would crash-loop).
import { chartVariants } from '../src/chart-variants.js';
import { renderChart } from '../src/helm.js';
import { containerEnvironment, workloads } from '../src/manifests.js';
import {
  loadServiceConfig,
  serviceNames,
  variablesReadBy,
  variablesReadByMigrations,
  type ServiceName,
} from '../src/service-config.js';

const isService = (component: string): component is ServiceName =>
  (serviceNames as string[]).includes(component);

describe('variablesReadBy', () => {
  it("records what the ingest API's loadConfig reads, required and optional", () => {
    const names = variablesReadBy('ingest-api');
    for (const name of [
      'DATABASE_URL',
      'REDIS_URL',
      'ADMIN_TOKEN',
      'PORT',
      'METRICS_PORT',
      'SHUTDOWN_TIMEOUT_MS',
    ]) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('NODE_ENV');
  });

  it('finds DATABASE_URL in the migration command', () => {
    expect([...variablesReadByMigrations()]).toEqual(['DATABASE_URL']);
  });
});

describe.each(chartVariants)('containers rendered with $name', ({ options }) => {
  const manifests = renderChart(options);
  const containers = workloads(manifests).flatMap((w) =>
    (w.podSpec.containers as { name: string }[]).map(
      (c) => [`${w.component}/${c.name}`, w.component, c] as const,
    ),
  );

  it('are all services or the migrations Job', () => {
    for (const [, component] of containers) {
      expect(isService(component) || component === 'migrations').toBe(true);
    }
  });

  it.each(containers)('%s sets only variables its service reads', (_name, component, container) => {
    const env = containerEnvironment(container, manifests);
    const read = isService(component) ? variablesReadBy(component) : variablesReadByMigrations();
    expect(env.names.filter((name) => !read.has(name))).toEqual([]);
  });

  it.each(containers)(
    '%s starts: its service loads the rendered environment',
    (_name, component, container) => {
      const env = containerEnvironment(container, manifests);
      if (isService(component)) {
        expect(() => loadServiceConfig(component, env.values)).not.toThrow();
      } else {
        expect(env.fromSecrets).toContain('DATABASE_URL');
      }
    },
  );

  it.each(containers)(
    '%s takes credentials from Secrets, never from plain values',
    (_name, _component, container) => {
      const env = containerEnvironment(container, manifests);
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_TOKEN']) {
        if (env.names.includes(name)) expect(env.fromSecrets).toContain(name);
      }
    },
  );
});
