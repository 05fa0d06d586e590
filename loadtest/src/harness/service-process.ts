import { launchService, type PipelineServiceName } from '@triggers/service-launcher';
import { KEEP_OUTPUT_LINES, watchChild, type Child } from './child-process.js';

export type ServiceName = PipelineServiceName;

/** A real service, started from its source (`node --import tsx src/main.ts`; images run it compiled). */
export interface ServiceProcess {
  /** `ingest-api`, or `processor#2` when several run. */
  name: string;
  service: ServiceName;
  /** The public API (ingest API only). */
  origin?: string;
  /** /metrics, /healthz, /readyz. */
  metricsOrigin: string;
  child: Child;
  /** The variables it was started with that shape performance (secrets left out). */
  tuning: Record<string, string>;
  stop: () => Promise<void>;
}

export interface ServiceSettings {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  /** Ingest API only. */
  adminToken?: string;
  /** Extra variables, e.g. `ALLOW_PRIVATE_WEBHOOK_TARGETS`. */
  env?: Record<string, string>;
  /** 1-based, to tell instances apart in logs and tables. */
  instance?: number;
}

// Passed through from the caller's environment when set, so `BATCH_SIZE=1000 pnpm bench` measures
// a variant without code changes. Services share some names (DB_POOL_SIZE), so those go through a
// prefixed name for the processor and the deliverer.
const TUNABLES: Record<ServiceName, Record<string, string>> = {
  'ingest-api': {
    GROUP_COMMIT_MAX_ROWS: 'GROUP_COMMIT_MAX_ROWS',
    GROUP_COMMIT_MAX_WAIT_MS: 'GROUP_COMMIT_MAX_WAIT_MS',
    QUEUE_NOTIFY_INTERVAL_MS: 'QUEUE_NOTIFY_INTERVAL_MS',
    DB_POOL_SIZE: 'DB_POOL_SIZE',
    BODY_LIMIT_BYTES: 'BODY_LIMIT_BYTES',
    UV_THREADPOOL_SIZE: 'UV_THREADPOOL_SIZE',
    NODE_OPTIONS: 'NODE_OPTIONS',
  },
  processor: {
    BATCH_SIZE: 'BATCH_SIZE',
    BATCH_CONCURRENCY: 'BATCH_CONCURRENCY',
    BATCH_GATHER_MS: 'BATCH_GATHER_MS',
    DELIVERIES_PER_JOB: 'DELIVERIES_PER_JOB',
    MAX_INFLIGHT_HANDOFFS: 'MAX_INFLIGHT_HANDOFFS',
    IDLE_POLL_MIN_MS: 'IDLE_POLL_MIN_MS',
    IDLE_POLL_MAX_MS: 'IDLE_POLL_MAX_MS',
    PROCESSOR_DB_POOL_SIZE: 'DB_POOL_SIZE',
    NODE_OPTIONS: 'NODE_OPTIONS',
  },
  deliverer: {
    CONCURRENCY: 'CONCURRENCY',
    MAX_IN_FLIGHT_PER_ENDPOINT: 'MAX_IN_FLIGHT_PER_ENDPOINT',
    ENDPOINT_SLOT_WAIT_MS: 'ENDPOINT_SLOT_WAIT_MS',
    CONNECTIONS_PER_ORIGIN: 'CONNECTIONS_PER_ORIGIN',
    DB_BATCH_WAIT_MS: 'DB_BATCH_WAIT_MS',
    DELIVERER_DB_POOL_SIZE: 'DB_POOL_SIZE',
    NODE_OPTIONS: 'NODE_OPTIONS',
  },
};

/** The tunables of `service` set in the bench's environment, under the names the service reads. */
export function tuningFromEnv(
  service: ServiceName,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const tuning: Record<string, string> = {};
  for (const [from, to] of Object.entries(TUNABLES[service])) {
    const value = env[from];
    if (value !== undefined && value !== '') tuning[to] = value;
  }
  return tuning;
}

/**
 * Starts a service on free ports of 127.0.0.1 (the launcher finds them) and waits for its /readyz.
 * The ingest API gets rate limits far above anything the benchmark sends; every service logs at
 * warn, so that logging costs nothing and what it does log is worth showing.
 */
export async function startService(service: ServiceName, settings: ServiceSettings): Promise<ServiceProcess> {
  const tuning: Record<string, string> = {
    LOG_LEVEL: 'warn',
    ...(service === 'ingest-api' ? { RATE_LIMIT_PER_SECOND: '10000000' } : {}),
    ...tuningFromEnv(service),
  };
  const name = settings.instance === undefined ? service : `${service}#${settings.instance}`;
  const launched = await launchService(service, {
    name,
    output: { to: 'memory', keepLines: KEEP_OUTPUT_LINES },
    env: {
      ...tuning,
      ...settings.env,
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      REDIS_KEY_PREFIX: settings.redisKeyPrefix,
      HOST: '127.0.0.1',
      ...(settings.adminToken === undefined ? {} : { ADMIN_TOKEN: settings.adminToken }),
    },
  });
  const child = watchChild(launched);
  try {
    await launched.waitReady(60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const { PORT: port, METRICS_PORT: metricsPort } = launched.ports;
  return {
    name,
    service,
    ...(port === undefined ? {} : { origin: `http://127.0.0.1:${port}` }),
    metricsOrigin: `http://127.0.0.1:${metricsPort}`,
    child,
    tuning: { ...tuning, ...settings.env },
    stop: () => child.stop(20_000),
  };
}

/** Starts `count` instances of a service at once (tsx compiles each on start: that takes seconds). */
export async function startServices(
  service: ServiceName,
  count: number,
  settings: ServiceSettings,
): Promise<ServiceProcess[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      startService(service, { ...settings, ...(count > 1 ? { instance: index + 1 } : {}) }),
    ),
  );
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await stopAll(started);
    throw failed.reason;
  }
  return started;
}

/** Stops services in parallel; each gets its own shutdown deadline. */
export async function stopAll(services: readonly { stop: () => Promise<void> }[]): Promise<void> {
  await Promise.all(services.map((service) => service.stop()));
}

/** Lines a service logged (at warn and above, as started here). */
export function serviceLog(services: readonly ServiceProcess[]): Record<string, string[]> {
  return Object.fromEntries(
    services
      .map((service) => [service.name, service.child.outputLines()] as const)
      .filter(([, lines]) => lines.length > 0),
  );
}

/**
 * Waits for services that start while other work runs (a prefill); when either fails, stops the
 * services that did start and throws, so that nothing is left running.
 */
export async function startedAlongside(
  starting: Promise<ServiceProcess[]>,
  work: Promise<void>,
): Promise<ServiceProcess[]> {
  const [services, done] = await Promise.allSettled([starting, work]);
  if (services.status === 'fulfilled' && done.status === 'fulfilled') return services.value;
  if (services.status === 'fulfilled') await stopAll(services.value);
  throw services.status === 'rejected' ? services.reason : (done as PromiseRejectedResult).reason;
}
