import { z } from 'zod';
import { defineConfig, env, pipelineEnv, withRules } from '@triggers/runtime';

const variables = pipelineEnv({ metricsPort: 9400, shutdownTimeoutMs: 10_000 }).extend({
  ADMIN_TOKEN: env.secret(16).describe('Bearer token for the /admin routes.'),
  PORT: env.int(4000, 0, 65535).describe('Port of the public API.'),
  BODY_LIMIT_BYTES: env.int(256 * 1024, 1024, 16 * 1024 * 1024).describe('Largest accepted request body.'),
  HTTP_REQUEST_TIMEOUT_MS: env
    .int(30_000, 1000, 600_000)
    .describe('A whole request, body included, must arrive within this (slow-loris bodies get 408).'),
  HTTP_HEADERS_TIMEOUT_MS: env
    .int(10_000, 1000, 600_000)
    .describe("A request's headers must arrive within this (slow-loris headers get 408)."),
  HTTP_TIMEOUT_CHECK_INTERVAL_MS: env
    .int(1000, 100, 30_000)
    .describe(
      "How often the two deadlines above are checked (Node's default, 30 s, lets a slow client linger that long).",
    ),
  HTTP_MAX_HEADER_BYTES: env
    .int(16 * 1024, 1024, 1024 * 1024)
    .describe('Larger header sections are refused with 431.'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: env
    .int(65_000, 1000, 600_000)
    .describe(
      "How long an idle client connection stays open: longer than the load balancer's idle timeout, so that it closes first and no request races a close.",
    ),
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
  API_KEY_CACHE_MAX_ENTRIES: env
    .int(10_000, 1, 10_000_000)
    .describe('API keys cached at most (the least recently used ones are forgotten first).'),
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
  EVENT_TYPE_CACHE_MAX_ENTRIES: env
    .int(100_000, 1, 10_000_000)
    .describe('Event types whose compiled schemas are cached at most (within their own memory bound).'),
});

const schema = withRules(variables, {
  // Node refuses to create a server whose headers may take longer than the whole request.
  names: ['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS'],
  problem: (e) =>
    e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS
      ? `HTTP_HEADERS_TIMEOUT_MS (${e.HTTP_HEADERS_TIMEOUT_MS}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS})`
      : undefined,
});

/** The ingest API's configuration contract: its environment, validated all at once, and its typed config. */
export const ingestApiConfig = defineConfig(schema, (e: z.output<typeof schema>) => ({
  http: {
    host: e.HOST,
    port: e.PORT,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    limits: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      checkIntervalMs: e.HTTP_TIMEOUT_CHECK_INTERVAL_MS,
      maxHeaderBytes: e.HTTP_MAX_HEADER_BYTES,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
  },
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
  apiKeyCache: { ttlMs: e.API_KEY_CACHE_TTL_MS, maxEntries: e.API_KEY_CACHE_MAX_ENTRIES },
  queueNotifyIntervalMs: e.QUEUE_NOTIFY_INTERVAL_MS,
  webhooks: {
    allowPrivateTargets: e.ALLOW_PRIVATE_WEBHOOK_TARGETS,
    secretRotationGraceMs: e.ENDPOINT_SECRET_ROTATION_GRACE_HOURS * 3_600_000,
    maxEndpointsPerOrganization: e.MAX_ENDPOINTS_PER_ORGANIZATION,
  },
  eventTypeCache: { ttlMs: e.EVENT_TYPE_CACHE_TTL_MS, maxEntries: e.EVENT_TYPE_CACHE_MAX_ENTRIES },
  logLevel: e.LOG_LEVEL,
  shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
}));

export const loadConfig = ingestApiConfig.load;

export type Config = ReturnType<typeof loadConfig>;
