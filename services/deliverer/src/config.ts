import { z } from 'zod';
import { defineConfig, env, pipelineEnv } from '@triggers/runtime';

const schema = pipelineEnv({ metricsPort: 9402, shutdownTimeoutMs: 20_000 }).extend({
  DB_POOL_SIZE: env.int(8, 2, 100).describe('Postgres connections of this instance.'),
  DB_BATCH_WAIT_MS: env
    .int(5, 0, 100)
    .describe(
      "How long deliveries' loads and attempt records gather before they share one statement: fewer round trips, for this much latency.",
    ),
  DB_BATCH_MAX_ROWS: env
    .int(200, 1, 5000)
    .describe('Loads or attempt records sharing one statement at most (more wait for the next one).'),
  DB_BATCH_TIMEOUT_MS: env
    .int(10_000, 100, 600_000)
    .describe('A shared load or record statement that takes longer than this fails (its jobs are retried).'),
  CONCURRENCY: env.int(200, 1, 5000).describe('Deliveries in flight at once in this instance.'),
  MAX_IN_FLIGHT_PER_ENDPOINT: env
    .int(25, 1, 5000)
    .describe(
      'Deliveries in flight at once to one endpoint, so that a slow endpoint cannot take every slot.',
    ),
  ENDPOINT_SLOT_WAIT_MS: env
    .int(250, 0, 10_000)
    .describe(
      'How long a delivery waits for a slot of its endpoint before it is postponed (0: postponed at once).',
    ),
  CONNECTIONS_PER_ORIGIN: env.int(32, 1, 1000).describe('Keep-alive connections per receiving origin.'),
  KEEP_ALIVE_TIMEOUT_MS: env
    .int(30_000, 1000, 600_000)
    .describe('How long an idle connection to a receiver is kept for the next delivery (at most).'),
  REQUEST_TIMEOUT_MS: env
    .int(10_000, 100, 60_000)
    .describe('Per-request timeout, unless the endpoint sets its own.'),
  MAX_ATTEMPTS: env.int(5, 1, 50).describe('Attempts per delivery, unless the endpoint sets its own.'),
  RETRY_BASE_DELAY_MS: env
    .int(30_000, 1, 86_400_000)
    .describe('Backoff: the first retry waits about this long (with jitter)...'),
  RETRY_BACKOFF_FACTOR: env.int(5, 1, 100).describe('...and each next one this many times longer...'),
  RETRY_MAX_DELAY_MS: env
    .int(21_600_000, 1, 7 * 86_400_000)
    .describe("...up to this. A receiver's Retry-After (on 429 and 503) is honoured up to this too."),
  CIRCUIT_FAILURE_THRESHOLD: env
    .int(10, 1, 10_000)
    .describe("Consecutive failures that open an endpoint's circuit (408, 409, 425 and 429 do not count)."),
  CIRCUIT_COOLDOWN_MS: env
    .int(30_000, 1, 86_400_000)
    .describe(
      'How long an opened circuit waits before one probe request; doubles each time a probe fails...',
    ),
  CIRCUIT_MAX_COOLDOWN_MS: env.int(600_000, 1, 86_400_000).describe('...up to this.'),
  CIRCUIT_HEALTHY_CACHE_MS: env
    .int(1000, 0, 60_000)
    .describe(
      'How long a circuit seen closed with no failures is trusted without asking Redis (0: ask on every delivery).',
    ),
  ENDPOINT_DISABLE_AFTER_HOURS: env
    .int(120, 1, 8760)
    .describe('An endpoint failing without a success for this long is disabled.'),
  RESPONSE_BODY_MAX_BYTES: env
    .int(4096, 0, 65_536)
    .describe('Bytes of each response body kept with the attempt.'),
  DISABLE_WEBHOOK_DELIVERY: env
    .bool(false)
    .describe('Mark deliveries delivered without sending (benchmarks of the rest of the pipeline).'),
  ALLOW_PRIVATE_WEBHOOK_TARGETS: env
    .bool(false)
    .describe('Allow loopback and private-network targets (local development and tests only).'),
  STALLED_JOB_TIMEOUT_MS: env
    .int(30_000, 1000, 600_000)
    .describe(
      "A crashed deliverer's jobs are taken up by another after this long (BullMQ lock and stalled-check period).",
    ),
  RECONCILE_INTERVAL_MS: env
    .int(60_000, 100, 86_400_000)
    .describe('How often unfinished deliveries whose job vanished (e.g. Redis lost its data) are re-queued.'),
  RECONCILE_AFTER_SECONDS: env
    .int(900, 1, 86_400 * 30)
    .describe('An unfinished delivery untouched for this long, with no job in BullMQ, is re-queued.'),
});

/** The deliverer's configuration contract: its environment, validated all at once, and its typed config. */
export const delivererConfig = defineConfig(schema, (e: z.output<typeof schema>) => ({
  db: {
    url: e.DATABASE_URL,
    poolSize: e.DB_POOL_SIZE,
    batch: { maxWaitMs: e.DB_BATCH_WAIT_MS, maxRows: e.DB_BATCH_MAX_ROWS, timeoutMs: e.DB_BATCH_TIMEOUT_MS },
  },
  redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
  metrics: { host: e.HOST, port: e.METRICS_PORT },
  worker: {
    concurrency: e.CONCURRENCY,
    maxInFlightPerEndpoint: e.MAX_IN_FLIGHT_PER_ENDPOINT,
    endpointSlotWaitMs: e.ENDPOINT_SLOT_WAIT_MS,
    stalledJobTimeoutMs: e.STALLED_JOB_TIMEOUT_MS,
  },
  http: {
    connectionsPerOrigin: e.CONNECTIONS_PER_ORIGIN,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    timeoutMs: e.REQUEST_TIMEOUT_MS,
    responseBodyMaxBytes: e.RESPONSE_BODY_MAX_BYTES,
    allowPrivateTargets: e.ALLOW_PRIVATE_WEBHOOK_TARGETS,
    disabled: e.DISABLE_WEBHOOK_DELIVERY,
  },
  retry: {
    maxAttempts: e.MAX_ATTEMPTS,
    baseDelayMs: e.RETRY_BASE_DELAY_MS,
    factor: e.RETRY_BACKOFF_FACTOR,
    maxDelayMs: e.RETRY_MAX_DELAY_MS,
  },
  circuit: {
    failureThreshold: e.CIRCUIT_FAILURE_THRESHOLD,
    cooldownMs: e.CIRCUIT_COOLDOWN_MS,
    maxCooldownMs: e.CIRCUIT_MAX_COOLDOWN_MS,
    // Another sender may probe only once this probe's request has surely timed out.
    probeTimeoutMs: e.REQUEST_TIMEOUT_MS + 5_000,
    healthyCacheMs: e.CIRCUIT_HEALTHY_CACHE_MS,
    disableAfterMs: e.ENDPOINT_DISABLE_AFTER_HOURS * 3_600_000,
  },
  reconcile: { intervalMs: e.RECONCILE_INTERVAL_MS, afterSeconds: e.RECONCILE_AFTER_SECONDS },
  logLevel: e.LOG_LEVEL,
  shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
}));

export const loadConfig = delivererConfig.load;

export type Config = ReturnType<typeof loadConfig>;
