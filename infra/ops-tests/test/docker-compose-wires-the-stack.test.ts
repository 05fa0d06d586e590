// Risk: `docker compose up` that starts services in the wrong order, with variables they do not
// read, a default admin token, unbuildable targets, ports that do not match or that face the
// network, a SIGKILL that cuts a shutdown short, or a Prometheus, Alertmanager and Grafana that mount
// files which are not there or do not reach each other.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PIPELINE_SERVICES } from '@triggers/service-launcher';
import { loadStages } from '../src/dockerfile.js';
import { paths, repoRoot } from '../src/repo.js';
import {
  listenPorts,
  loadServiceConfig,
  requiredPlaceholders,
  serviceNames,
  variablesReadBy,
  variablesReadByMigrations,
  type ServiceName,
} from '../src/service-config.js';

interface ComposeService {
  image?: string;
  build?: { context: string; target: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

const compose = parse(readFileSync(paths.compose, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const appServices = serviceNames.filter((name) => name in services);
/**
 * Compose's ${VAR:-default} with its default, as `docker compose` resolves it with VAR unset; a
 * required ${VAR:?message} with a valid placeholder, as the user must set it.
 */
const resolved = (env: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      String(v)
        .replace(/\$\{\w+:-([^}]*)\}/g, '$1')
        .replace(/\$\{(\w+):\?[^}]*\}/g, (_m, name: string) => requiredPlaceholders[name] ?? ''),
    ]),
  );
/** Seconds of a Compose duration such as `25s`. */
const seconds = (duration: string | undefined) => Number(/^(\d+)s$/.exec(duration ?? '')?.[1] ?? Number.NaN);

describe('docker-compose.yml', () => {
  it('runs Postgres, Redis, the migrations, the three services and the demo sink', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'migrations',
        'ingest-api',
        'processor',
        'deliverer',
        'webhook-sink',
      ]),
    );
    expect(appServices.sort()).toEqual([...serviceNames].sort());
  });

  it('builds every Triggers image from a target the Dockerfile has', () => {
    const targets = loadStages().map((s) => s.name);
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      expect(service.build.context).toBe('.');
      expect(targets).toContain(service.build.target);
      expect(name).toBe(service.build.target);
    }
  });

  it('starts the services only once the migrations have completed and Redis answers', () => {
    expect(services.migrations!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of PIPELINE_SERVICES) {
      expect(services[name]!.depends_on).toMatchObject({
        migrations: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it.each(appServices)('%s gets only variables it reads, and starts with them', (name) => {
    const env = resolved(services[name]!.environment);
    const read = variablesReadBy(name);
    expect(Object.keys(env).filter((k) => !read.has(k))).toEqual([]);
    expect(() => loadServiceConfig(name, env)).not.toThrow();
  });

  it('gives the migrations only what the migration command reads', () => {
    const read = variablesReadByMigrations();
    expect(Object.keys(services.migrations!.environment ?? {}).filter((k) => !read.has(k))).toEqual([]);
  });

  it.each(appServices)('%s publishes the ports it listens on', (name: ServiceName) => {
    const ports = listenPorts(name, resolved(services[name]!.environment));
    const published = (services[name]!.ports ?? []).map((p) => Number(p.split(':').at(-1)));
    expect(published.sort()).toEqual([ports.http, ports.metrics].filter((p) => p !== undefined).sort());
  });

  it('requires the admin token, with no default anyone could guess', () => {
    expect(services['ingest-api']!.environment!.ADMIN_TOKEN).toMatch(/^\$\{ADMIN_TOKEN:\?[^}]+\}$/);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? [])
        expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
  });

  /** Each service's shutdown deadline. */
  const shutdownTimeouts = appServices.flatMap((name) => {
    const { shutdownTimeoutMs } = loadServiceConfig(name, resolved(services[name]!.environment)) as {
      shutdownTimeoutMs?: number;
    };
    return shutdownTimeoutMs === undefined ? [] : [[name, shutdownTimeoutMs] as const];
  });

  it('knows the shutdown deadline of every service', () => {
    expect(shutdownTimeouts.map(([name]) => name).sort()).toEqual([...appServices].sort());
  });

  it.each(shutdownTimeouts)(
    'lets %s finish its shutdown (%i ms) before Docker kills it',
    (name, timeoutMs) => {
      // Compose waits 10 s when a service sets no stop_grace_period.
      expect(seconds(services[name]!.stop_grace_period ?? '10s')).toBeGreaterThan(timeoutMs / 1000);
    },
  );

  it('mounts Prometheus, Alertmanager and Grafana files that exist', () => {
    for (const name of ['prometheus', 'alertmanager', 'grafana']) {
      for (const volume of services[name]!.volumes ?? []) {
        const [source] = volume.split(':');
        if (source!.startsWith('./')) expect(existsSync(join(repoRoot, source!))).toBe(true);
      }
    }
  });

  it("has Prometheus scrape each service's metrics port and load the alert rules", () => {
    const prometheus = parse(readFileSync(paths.prometheusConfig, 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const mounted = services.prometheus!.volumes!.map((v) => v.split(':')[1]);
    for (const file of prometheus.rule_files) expect(mounted).toContain(file);
    const targets = prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    for (const name of PIPELINE_SERVICES) {
      const { metrics } = listenPorts(name, resolved(services[name]!.environment));
      expect(targets).toContain(`${name}:${metrics}`);
    }
  });

  it('has Prometheus send its alerts to the Alertmanager, whose route ends at a receiver it defines', () => {
    const prometheus = parse(readFileSync(paths.prometheusConfig, 'utf8')) as {
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    const targets = prometheus.alerting.alertmanagers.flatMap((a) =>
      a.static_configs.flatMap((s) => s.targets),
    );
    const published = services.alertmanager!.ports!.map((p) => p.split(':').at(-1));
    expect(targets).toEqual([`alertmanager:${published[0]}`]);
    const mounted = services.alertmanager!.volumes!.find((v) =>
      v.endsWith(':/etc/alertmanager/alertmanager.yml:ro'),
    );
    const config = parse(readFileSync(join(repoRoot, mounted!.split(':')[0]!), 'utf8')) as {
      route: { receiver: string; routes?: { receiver: string }[] };
      receivers: { name: string }[];
    };
    const receivers = config.receivers.map((r) => r.name);
    for (const route of [config.route, ...(config.route.routes ?? [])])
      expect(receivers).toContain(route.receiver);
  });
});
