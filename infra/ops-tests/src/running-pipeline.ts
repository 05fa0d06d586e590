import { setTimeout as sleep } from 'node:timers/promises';
import {
  PIPELINE_SERVICES,
  launchService,
  type PipelineServiceName,
  type ServiceProcess,
} from '@triggers/service-launcher';
import {
  createTestDatabase,
  deleteRedisKeys,
  startWebhookReceiver,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { catalogMetrics, type MetricCatalog } from './metric-catalog.js';

const ADMIN_TOKEN = 'ops-tests-admin-token-0123456789';

/**
 * What the deliverer's metrics must have counted before the scrape: every outcome of the traffic
 * (labelled counters exist at 0 from the start, so a series alone proves nothing).
 */
const DELIVERER_SERIES_NEEDED = [
  'triggers_deliveries_total{outcome="delivered"',
  'triggers_deliveries_total{outcome="retry"',
  'triggers_deliveries_total{outcome="dead"',
  'triggers_deliveries_total{outcome="disabled"',
  'triggers_delivery_circuit_deferrals_total{reason=',
  'triggers_endpoints_disabled_total{reason=',
  'triggers_end_to_end_latency_seconds_count',
];

export interface RunningPipeline {
  /** Everything the three services expose after the traffic. */
  catalog: MetricCatalog;
  stop: () => Promise<void>;
}

/** The three services running together against a database and a Redis prefix of their own. */
export interface Pipeline {
  apiUrl: string;
  adminToken: string;
  /** The pipeline's own database, for checking what was stored. */
  sql: TestDatabase['sql'];
  metricsUrls: Record<PipelineServiceName, string>;
  processes: ServiceProcess[];
  /** Every service's output so far, to explain a failure. */
  logs: () => string;
  /** Stops the services, drops the database and deletes the Redis keys. */
  stop: () => Promise<void>;
}

/** Variables on top of what every service gets (database, Redis, host, ports), per service. */
export type PipelineEnv = Partial<Record<PipelineServiceName, Record<string, string>>>;

/**
 * Starts the real ingest API, processor and deliverer (their main.ts, as child processes) against
 * a fresh database and a Redis prefix of their own, and waits until all three are ready. Webhooks
 * may go to 127.0.0.1 (the tests' receivers).
 */
export async function startPipeline(env: PipelineEnv = {}): Promise<Pipeline> {
  const database = await createTestDatabase();
  const redisKeyPrefix = uniqueRedisPrefix();
  const processes: ServiceProcess[] = [];
  const logs = () => processes.map((p) => `--- ${p.service}\n${p.output()}`).join('\n');
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database.drop();
    await deleteRedisKeys(testRedisUrl(), redisKeyPrefix);
  };
  try {
    const common = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: redisKeyPrefix,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const own: Record<PipelineServiceName, Record<string, string>> = {
      'ingest-api': { ADMIN_TOKEN, ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
      processor: {},
      deliverer: { ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
    };
    // Each on free ports, with exactly this environment: nothing leaks in from the test's own.
    for (const service of PIPELINE_SERVICES) {
      processes.push(await launchService(service, { env: { ...common, ...own[service], ...env[service] } }));
    }
    await Promise.all(processes.map((p) => p.waitReady()));
    const [api, processor, deliverer] = processes as [ServiceProcess, ServiceProcess, ServiceProcess];
    const metricsUrl = (p: ServiceProcess) => `http://127.0.0.1:${p.ports.METRICS_PORT}/metrics`;
    return {
      apiUrl: `http://127.0.0.1:${api.ports.PORT}`,
      adminToken: ADMIN_TOKEN,
      sql: database.sql,
      metricsUrls: {
        'ingest-api': metricsUrl(api),
        processor: metricsUrl(processor),
        deliverer: metricsUrl(deliverer),
      },
      processes,
      logs,
      stop,
    };
  } catch (err) {
    const output = logs();
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output}`);
  }
}

/**
 * Starts the pipeline, sends a little of every kind of traffic (accepted, duplicate and refused
 * events; deliveries that succeed, retry, die, meet a 410 and an open circuit), waits for it to
 * show in the metrics, and scrapes all three services.
 */
export async function runPipelineAndScrape(): Promise<RunningPipeline> {
  const receiver = await startWebhookReceiver((request) => {
    if (request.path.startsWith('/fail')) return { status: 500 };
    if (request.path.startsWith('/gone')) return { status: 410 };
    return { status: 200 };
  });
  let pipeline: Pipeline | undefined;
  const stop = async () => {
    await pipeline?.stop();
    await receiver.close();
  };
  try {
    // One delivery at a time makes the story deterministic: the first 410 disables its endpoint
    // before the next delivery to it is loaded, the first 500 opens the circuit before the next.
    pipeline = await startPipeline({
      deliverer: {
        CONCURRENCY: '1',
        RETRY_BASE_DELAY_MS: '50',
        RETRY_BACKOFF_FACTOR: '1',
        CIRCUIT_FAILURE_THRESHOLD: '1',
        CIRCUIT_COOLDOWN_MS: '300',
        CIRCUIT_MAX_COOLDOWN_MS: '300',
      },
    });
    await sendTraffic(pipeline.apiUrl, receiver.url);
    const { metricsUrls } = pipeline;
    await waitForCounts(metricsUrls.deliverer, DELIVERER_SERIES_NEEDED);
    const pages = await Promise.all(
      [metricsUrls['ingest-api'], metricsUrls.processor, metricsUrls.deliverer].map((url) =>
        fetch(url).then((r) => r.text()),
      ),
    );
    return { catalog: catalogMetrics(pages), stop };
  } catch (err) {
    const logs = pipeline?.logs() ?? '';
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${logs}`);
  }
}

async function sendTraffic(apiUrl: string, receiverUrl: string): Promise<void> {
  const call = async (path: string, token: string, body: unknown, expected: number[]) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, string>;
  };
  const organization = await call('/admin/organizations', ADMIN_TOKEN, { name: 'ops-tests' }, [201]);
  const { key } = await call(
    `/admin/organizations/${organization.id}/api-keys`,
    ADMIN_TOKEN,
    { name: 'ops' },
    [201],
  );
  for (const endpoint of [
    { url: `${receiverUrl}/ok` },
    { url: `${receiverUrl}/fail`, max_attempts: 2 },
    { url: `${receiverUrl}/gone` },
  ]) {
    await call('/api/endpoints', key!, endpoint, [201]);
  }
  // One batch: one INSERT, so the processor creates every delivery in one transaction, before any
  // is sent (a 410 must not disable its endpoint before the later events' deliveries exist).
  const events = [1, 2, 3].map((n) => ({ type: 'order.created', payload: { n }, dedup_id: `batch-${n}` }));
  await call('/api/events/batch', key!, { events }, [202, 207]);
  await call('/api/events', key!, { type: 'order.created', payload: { n: 4 }, dedup_id: 'single-4' }, [202]);
  await call(
    '/api/events',
    key!,
    { type: 'order.created', payload: { n: 4 }, dedup_id: 'single-4' },
    [200, 202],
  );
  await call('/api/events', key!, { payload: { missing: 'type' } }, [400, 422]);
}

/** Waits until, for each needle, a sample whose line starts with it has a value above 0. */
async function waitForCounts(url: string, needles: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await fetch(url).then((r) => r.text())).split('\n');
    const counted = (needle: string) =>
      lines.some((line) => line.startsWith(needle) && Number(line.slice(line.lastIndexOf(' ') + 1)) > 0);
    const missing = needles.filter((needle) => !counted(needle));
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${url} still lacks ${missing.join(', ')} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
