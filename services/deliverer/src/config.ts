import { z } from 'zod';
import { env, parseEnv } from '@triggers/runtime';

const schema = z.object({
  /** Postgres connection URL. */
  DATABASE_URL: env.url(['postgres:', 'postgresql:']),
  /** Redis connection URL (the BullMQ delivery queue and circuit breakers). */
  REDIS_URL: env.url(['redis:', 'rediss:']),
  /** Prefix of every Redis key; must match the processor's and the API's. */
  REDIS_KEY_PREFIX: env.string('triggers:'),
  /** Interface the metrics listener binds to. */
  HOST: env.string('0.0.0.0'),
  /** Port of /metrics, /healthz, /readyz. */
  METRICS_PORT: env.int(9402, 0, 65535),
  /** Minimum log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: env.logLevel(),
  /** Postgres connections of this instance. */
  DB_POOL_SIZE: env.int(8, 2, 100),
  /** How long deliveries' loads and attempt records gather before they share one statement: fewer round trips, for this much latency. */
  DB_BATCH_WAIT_MS: env.int(5, 0, 100),
  /** Deliveries in flight at once in this instance. */
  CONCURRENCY: env.int(200, 1, 5000),
  /** Deliveries in flight at once to one endpoint, so that a slow endpoint cannot take every slot. */
  MAX_IN_FLIGHT_PER_ENDPOINT: env.int(25, 1, 5000),
  /** How long a delivery waits for a slot of its endpoint before it is postponed (0: postponed at once). */
  ENDPOINT_SLOT_WAIT_MS: env.int(250, 0, 10_000),
  /** Keep-alive connections per receiving origin. */
  CONNECTIONS_PER_ORIGIN: env.int(32, 1, 1000),
  /** Per-request timeout, unless the endpoint sets its own. */
  REQUEST_TIMEOUT_MS: env.int(10_000, 100, 60_000),
  /** Attempts per delivery, unless the endpoint sets its own. */
  MAX_ATTEMPTS: env.int(5, 1, 50),
  /** Backoff: the first retry waits about this long (with jitter)... */
  RETRY_BASE_DELAY_MS: env.int(30_000, 1, 86_400_000),
  /** ...and each next one this many times longer... */
  RETRY_BACKOFF_FACTOR: env.int(5, 1, 100),
  /** ...up to this. A receiver's Retry-After (on 429 and 503) is honoured up to this too. */
  RETRY_MAX_DELAY_MS: env.int(21_600_000, 1, 7 * 86_400_000),
  /** Consecutive failures that open an endpoint's circuit (408, 409, 425 and 429 do not count). */
  CIRCUIT_FAILURE_THRESHOLD: env.int(10, 1, 10_000),
  /** How long an opened circuit waits before one probe request; doubles each time a probe fails... */
  CIRCUIT_COOLDOWN_MS: env.int(30_000, 1, 86_400_000),
  /** ...up to this. */
  CIRCUIT_MAX_COOLDOWN_MS: env.int(600_000, 1, 86_400_000),
  /** How long a circuit seen closed with no failures is trusted without asking Redis (0: ask on every delivery). */
  CIRCUIT_HEALTHY_CACHE_MS: env.int(1000, 0, 60_000),
  /** An endpoint failing without a success for this long is disabled. */
  ENDPOINT_DISABLE_AFTER_HOURS: env.int(120, 1, 8760),
  /** Bytes of each response body kept with the attempt. */
  RESPONSE_BODY_MAX_BYTES: env.int(4096, 0, 65_536),
  /** Mark deliveries delivered without sending (benchmarks of the rest of the pipeline). */
  DISABLE_WEBHOOK_DELIVERY: env.bool(false),
  /** Allow loopback and private-network targets (local development and tests only). */
  ALLOW_PRIVATE_WEBHOOK_TARGETS: env.bool(false),
  /** A crashed deliverer's jobs are taken up by another after this long (BullMQ lock and stalled-check period). */
  STALLED_JOB_TIMEOUT_MS: env.int(30_000, 1000, 600_000),
  /** How often unfinished deliveries whose job vanished (e.g. Redis lost its data) are re-queued. */
  RECONCILE_INTERVAL_MS: env.int(60_000, 100, 86_400_000),
  /** An unfinished delivery untouched for this long, with no job in BullMQ, is re-queued. */
  RECONCILE_AFTER_SECONDS: env.int(900, 1, 86_400 * 30),
  /** Deadline for a graceful shutdown (in-flight requests finish first); keep it below the orchestrator's grace period. */
  SHUTDOWN_TIMEOUT_MS: env.int(20_000, 100, 600_000),
});

/** The deliverer's configuration, validated all at once. */
export function loadConfig(environment: Record<string, string | undefined>) {
  const e = parseEnv(schema, environment);
  return {
    db: { url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE, batchWaitMs: e.DB_BATCH_WAIT_MS },
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
      probeTimeoutMs: e.REQUEST_TIMEOUT_MS + 5_000,
      healthyCacheMs: e.CIRCUIT_HEALTHY_CACHE_MS,
      disableAfterMs: e.ENDPOINT_DISABLE_AFTER_HOURS * 3_600_000,
    },
    reconcile: { intervalMs: e.RECONCILE_INTERVAL_MS, afterSeconds: e.RECONCILE_AFTER_SECONDS },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  } as const;
}

export type Config = ReturnType<typeof loadConfig>;
