import { z } from 'zod';
import { env, parseEnv } from '@triggers/runtime';

const schema = z.object({
  /** Postgres connection URL. */
  DATABASE_URL: env.url(['postgres:', 'postgresql:']),
  /** Redis connection URL (rate limits). */
  REDIS_URL: env.url(['redis:', 'rediss:']),
  /** Bearer token for the /admin routes. */
  ADMIN_TOKEN: env.secret(16),
  /** Port of the public API. */
  PORT: env.int(4000, 0, 65535),
  /** Interface the API and the metrics listener bind to. */
  HOST: env.string('0.0.0.0'),
  /** Port of /metrics, /healthz, /readyz. */
  METRICS_PORT: env.int(9400, 0, 65535),
  /** Minimum log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: env.logLevel(),
  /** Largest accepted request body. */
  BODY_LIMIT_BYTES: env.int(256 * 1024, 1024, 16 * 1024 * 1024),
  /** Events per second per organization (organizations may have their own figure). */
  RATE_LIMIT_PER_SECOND: env.int(1000, 1),
  /** Prefix of every Redis key, so deployments (and tests) can share a Redis. */
  REDIS_KEY_PREFIX: env.string('triggers:'),
  /** Postgres connections of this instance. */
  DB_POOL_SIZE: env.int(10, 1, 200),
  /** Group commit: flush when this many rows wait... */
  GROUP_COMMIT_MAX_ROWS: env.int(200, 1, 5000),
  /** ...or this long after the first one arrived (0: once the requests read in the same event-loop turn are in). */
  GROUP_COMMIT_MAX_WAIT_MS: env.int(0, 0, 100),
  /** Processors are notified of new events at most this often (the first commit after a pause at once). */
  QUEUE_NOTIFY_INTERVAL_MS: env.int(2, 0, 1000),
  /** Answer 503 when one INSERT takes longer than this. */
  GROUP_COMMIT_TIMEOUT_MS: env.int(5000, 100, 60000),
  /** How long an API-key lookup is cached (a revocation reaches other instances within this); 0: not cached. */
  API_KEY_CACHE_TTL_MS: env.int(10_000, 0, 3_600_000),
  /** Deadline for a graceful shutdown; keep it below the orchestrator's grace period. */
  SHUTDOWN_TIMEOUT_MS: env.int(10_000, 100, 600_000),
  /** Accept webhook URLs on private, loopback and link-local addresses (local development and tests only). */
  ALLOW_PRIVATE_WEBHOOK_TARGETS: env.bool(false),
  /** How long an endpoint's previous secret keeps signing after a rotation. */
  ENDPOINT_SECRET_ROTATION_GRACE_HOURS: env.int(24, 0, 24 * 30),
  /** Webhook endpoints per organization: each one multiplies every accepted event into a delivery. */
  MAX_ENDPOINTS_PER_ORGANIZATION: env.int(100, 1, 100_000),
  /** Test sends and replayed deliveries per minute per organization (a limit of their own, apart from ingest's). */
  AMPLIFY_RATE_LIMIT_PER_MINUTE: env.int(6000, 1, 10_000_000),
  /** How long a compiled event-type schema is used without re-reading it (changes are also broadcast). */
  EVENT_TYPE_CACHE_TTL_MS: env.int(5_000, 0, 600_000),
});

/** The ingest API's configuration, validated all at once. */
export function loadConfig(environment: Record<string, string | undefined>) {
  const e = parseEnv(schema, environment);
  return {
    http: { host: e.HOST, port: e.PORT, bodyLimitBytes: e.BODY_LIMIT_BYTES },
    metrics: { port: e.METRICS_PORT },
    db: { url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    adminToken: e.ADMIN_TOKEN,
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, amplifyingPerMinute: e.AMPLIFY_RATE_LIMIT_PER_MINUTE },
    groupCommit: {
      maxRows: e.GROUP_COMMIT_MAX_ROWS,
      maxWaitMs: e.GROUP_COMMIT_MAX_WAIT_MS,
      timeoutMs: e.GROUP_COMMIT_TIMEOUT_MS,
    },
    apiKeyCacheTtlMs: e.API_KEY_CACHE_TTL_MS,
    queueNotifyIntervalMs: e.QUEUE_NOTIFY_INTERVAL_MS,
    webhooks: {
      allowPrivateTargets: e.ALLOW_PRIVATE_WEBHOOK_TARGETS,
      secretRotationGraceMs: e.ENDPOINT_SECRET_ROTATION_GRACE_HOURS * 3_600_000,
      maxEndpointsPerOrganization: e.MAX_ENDPOINTS_PER_ORGANIZATION,
    },
    eventTypeCacheTtlMs: e.EVENT_TYPE_CACHE_TTL_MS,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  } as const;
}

export type Config = ReturnType<typeof loadConfig>;
