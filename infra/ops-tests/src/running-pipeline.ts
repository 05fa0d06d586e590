import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '@triggers/local-services';
import {
  createTestDatabase,
  deleteRedisKeys,
  startWebhookReceiver,
  testRedisUrl,
  uniqueRedisPrefix,
  type WebhookReceiver,
} from '@triggers/testing';
import { catalogMetrics, type MetricCatalog } from './metric-catalog.js';
import type { ServiceName } from './service-config.js';
import { startService, waitUntilOk, type ServiceProcess } from './service-process.js';

const ADMIN_TOKEN = 'ops-tests-admin-token-0123456789';

/** What the deliverer's metrics must show before the scrape: one sample of every labelled series. */
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

/**
 * Starts the real ingest API, processor and deliverer (their main.ts, as child processes) against
 * a fresh database and a Redis prefix of their own, sends a little of every kind of traffic
 * (accepted, duplicate and refused events; deliveries that succeed, retry, die, meet a 410 and an
 * open circuit), waits for it to show in the metrics, and scrapes all three.
 */
export async function runPipelineAndScrape(): Promise<RunningPipeline> {
  const database = await createTestDatabase();
  const redisKeyPrefix = uniqueRedisPrefix();
  const processes: ServiceProcess[] = [];
  let receiver: WebhookReceiver | undefined;
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await receiver?.close();
    await database.drop();
    await deleteRedisKeys(testRedisUrl(), redisKeyPrefix);
  };

  try {
    receiver = await startWebhookReceiver((request) => {
      if (request.path.startsWith('/fail')) return { status: 500 };
      if (request.path.startsWith('/gone')) return { status: 410 };
      return { status: 200 };
    });
    const ports = {
      api: await findFreePort(),
      ingest: await findFreePort(),
      processor: await findFreePort(),
      deliverer: await findFreePort(),
    };
    const common = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: redisKeyPrefix,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    const start = (service: ServiceName, env: Record<string, string>, metricsPort: number) => {
      const process = startService(service, { ...common, ...env, METRICS_PORT: String(metricsPort) });
      processes.push(process);
      return waitUntilOk(process, `http://127.0.0.1:${metricsPort}/readyz`).then(() => process);
    };
    await Promise.all([
      start(
        'ingest-api',
        { PORT: String(ports.api), ADMIN_TOKEN, ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
        ports.ingest,
      ),
      start('processor', {}, ports.processor),
      // One delivery at a time makes the story deterministic: the first 410 disables its endpoint
      // before the next delivery to it is loaded, the first 500 opens the circuit before the next.
      start(
        'deliverer',
        {
          ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
          CONCURRENCY: '1',
          RETRY_BASE_DELAY_MS: '50',
          RETRY_BACKOFF_FACTOR: '1',
          CIRCUIT_FAILURE_THRESHOLD: '1',
          CIRCUIT_COOLDOWN_MS: '300',
          CIRCUIT_MAX_COOLDOWN_MS: '300',
        },
        ports.deliverer,
      ),
    ]);

    await sendTraffic(`http://127.0.0.1:${ports.api}`, receiver.url);
    const metricsUrl = (port: number) => `http://127.0.0.1:${port}/metrics`;
    await waitForSeries(metricsUrl(ports.deliverer), DELIVERER_SERIES_NEEDED);
    const pages = await Promise.all(
      [ports.ingest, ports.processor, ports.deliverer].map((port) =>
        fetch(metricsUrl(port)).then((r) => r.text()),
      ),
    );
    return { catalog: catalogMetrics(pages), stop };
  } catch (err) {
    const logs = processes.map((p) => `--- ${p.service}\n${p.output()}`).join('\n');
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

async function waitForSeries(url: string, needles: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await fetch(url).then((r) => r.text());
    const missing = needles.filter((needle) => !page.includes(needle));
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${url} still lacks ${missing.join(', ')} after ${timeoutMs} ms`);
    await sleep(100);
  }
}
