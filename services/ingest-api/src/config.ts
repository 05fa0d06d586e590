import { z } from 'zod';
import { defineConfig, env, pipelineEnv } from '@triggers/runtime';

const schema = pipelineEnv({ metricsPort: 9400, shutdownTimeoutMs: 10_000 }).extend({
  ADMIN_TOKEN: env.secret(16).describe('Bearer token for the /admin routes.'),
  PORT: env.int(4000, 0, 65535).describe('Port of the public API.'),
  BODY_LIMIT_BYTES: env.int(256 * 1024, 1024, 16 * 1024 * 1024).describe('Largest accepted request body.'),
  RATE_LIMIT_PER_SECOND: env
    .int(1000, 1)
    .describe('Events per second per organization (organizations may have their own figure).'),
  DB_POOL_SIZE: env.int(10, 1, 200).describe('Postgres connections of this instance.'),
  GROUP_COMMIT_MAX_ROWS: env.int(200, 1, 5000).describe('Group commit: flush when this many rows wait...'),
  GROUP_COMMIT_MAX_WAIT_MS: env
    .int(0, 0, 100)
    .describe(
      '...or this long after the first one arrived (0: once the requests read in the same event-loop turn are in).',
    ),
  QUEUE_NOTIFY_INTERVAL_MS: env
    .int(2, 0, 1000)
    .describe(
      'Processors are notified of new events at most this often (the first commit after a pause at once).',
    ),
  GROUP_COMMIT_TIMEOUT_MS: env
    .int(5000, 100, 60000)
    .describe('Answer 503 when one INSERT takes longer than this.'),
  API_KEY_CACHE_TTL_MS: env
    .int(10_000, 0, 3_600_000)
    .describe(
      'How long an API-key lookup is cached (a revocation reaches other instances within this); 0: not cached.',
    ),
  ALLOW_PRIVATE_WEBHOOK_TARGETS: env
    .bool(false)
    .describe(
      'Accept webhook URLs on private, loopback and link-local addresses (local development and tests only).',
    ),
  ENDPOINT_SECRET_ROTATION_GRACE_HOURS: env
    .int(24, 0, 24 * 30)
    .describe("How long an endpoint's previous secret keeps signing after a rotation."),
  MAX_ENDPOINTS_PER_ORGANIZATION: env
    .int(100, 1, 100_000)
    .describe(
      'Webhook endpoints per organization: each one multiplies every accepted event into a delivery.',
    ),
  AMPLIFY_RATE_LIMIT_PER_MINUTE: env
    .int(6000, 1, 10_000_000)
    .describe(
      "Test sends and replayed deliveries per minute per organization (a limit of their own, apart from ingest's).",
    ),
  EVENT_TYPE_CACHE_TTL_MS: env
    .int(5_000, 0, 600_000)
    .describe(
      'How long a compiled event-type schema is used without re-reading it (changes are also broadcast).',
    ),
});

/** The ingest API's configuration contract: its environment, validated all at once, and its typed config. */
export const ingestApiConfig = defineConfig(schema, (e: z.output<typeof schema>) => ({
  http: { host: e.HOST, port: e.PORT, bodyLimitBytes: e.BODY_LIMIT_BYTES },
  metrics: { host: e.HOST, port: e.METRICS_PORT },
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
}));

export const loadConfig = ingestApiConfig.load;

export type Config = ReturnType<typeof loadConfig>;
