// Risk: probes aimed at a port or path the service does not serve (every pod restarted or never
// ready), or container ports that differ from where the service actually listens under the
// environment the chart gives it. Starts each real service with that environment.
import { findFreePort } from '@triggers/local-services';
import { launchService, waitUntilReady, type ServiceProcess } from '@triggers/service-launcher';
import {
  createTestDatabase,
  deleteRedisKeys,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { renderChart } from '../src/helm.js';
import { containerEnvironment, containerPort, workloads } from '../src/manifests.js';
import { listenPorts, type ServiceName } from '../src/service-config.js';

const manifests = renderChart();
const deployments = workloads(manifests).filter((w) => w.manifest.kind === 'Deployment');

interface Started {
  process: ServiceProcess;
  /** Port each listener got in the test, by the port the chart declares for it. */
  portFor: Map<number, number>;
}

let database: TestDatabase;
const redisKeyPrefix = uniqueRedisPrefix();
const started = new Map<string, Started>();

beforeAll(async () => {
  database = await createTestDatabase();
  await Promise.all(
    deployments.map(async (w) => {
      const service = w.component as ServiceName;
      const env = containerEnvironment(w.podSpec.containers[0], manifests).values;
      const declared = listenPorts(service, env);
      const test = { http: await findFreePort(), metrics: await findFreePort() };
      const process = await launchService(service, {
        env: {
          ...env,
          DATABASE_URL: database.url,
          REDIS_URL: testRedisUrl(),
          REDIS_KEY_PREFIX: redisKeyPrefix,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          METRICS_PORT: String(test.metrics),
          ...(declared.http === undefined ? {} : { PORT: String(test.http) }),
        },
      });
      const portFor = new Map([[declared.metrics!, test.metrics]]);
      if (declared.http !== undefined) portFor.set(declared.http, test.http);
      started.set(w.component, { process, portFor });
      await waitUntilReady(`http://127.0.0.1:${test.metrics}/healthz`, process);
    }),
  );
}, 90_000);

afterAll(async () => {
  await Promise.all([...started.values()].map((s) => s.process.stop()));
  await database?.drop();
  await deleteRedisKeys(testRedisUrl(), redisKeyPrefix);
});

describe.each(deployments.map((w) => [w.component, w] as const))(
  'the %s Deployment',
  (component, workload) => {
    const container = workload.podSpec.containers[0];

    it('declares container ports where the service listens under the environment it is given', () => {
      const listens = listenPorts(
        component as ServiceName,
        containerEnvironment(container, manifests).values,
      );
      const declared = Object.fromEntries(
        (container.ports as { name: string; containerPort: number }[]).map((p) => [p.name, p.containerPort]),
      );
      expect(declared).toEqual(
        listens.http === undefined
          ? { metrics: listens.metrics }
          : { http: listens.http, metrics: listens.metrics },
      );
    });

    it.each(['startupProbe', 'livenessProbe', 'readinessProbe'])(
      '%s answers 200 from the running service',
      async (probe) => {
        const { path, port } = container[probe].httpGet as { path: string; port: string | number };
        const declaredPort = containerPort(container, port);
        const testPort = started.get(component)!.portFor.get(declaredPort!);
        expect(testPort).toBeDefined();
        const response = await fetch(`http://127.0.0.1:${testPort}${path}`);
        expect(response.status).toBe(200);
      },
    );
  },
);
