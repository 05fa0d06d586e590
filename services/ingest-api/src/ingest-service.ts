import type { Express } from 'express';
import { Redis } from 'ioredis';
import { createDatabase, notifyEventsQueued, pingDatabase, type DatabaseClient } from '@triggers/db';
import { createDeliveryQueue, type DeliveryQueue } from '@triggers/delivery-queue';
import { Readiness, createMetricsRegistry, type Logger, type Registry } from '@triggers/runtime';
import { createApp } from './app.js';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator.js';
import type { Config } from './config.js';
import { EventTypeChanges } from './event-types/event-type-changes.js';
import { EventTypeValidators } from './event-types/event-type-validators.js';
import { createQueueCommitter, type QueueCommitter } from './events/queue-committer.js';
import { QueueNotifier } from './events/queue-notifier.js';
import { createIngestMetrics } from './metrics.js';
import { AmplificationLimiter } from './rate-limit/amplification-limiter.js';
import { OrganizationRateLimiter } from './rate-limit/organization-rate-limiter.js';

export interface IngestService {
  app: Express;
  registry: Registry;
  readiness: Readiness;
  committer: QueueCommitter;
  /** Wakes the processors after commits; `close()` drops a pending notification at shutdown. */
  notifier: QueueNotifier;
  database: DatabaseClient;
  redis: Redis;
  /** Producer of delivery jobs (replays, test events), and its own connection. */
  deliveryQueue: DeliveryQueue;
  deliveryQueueRedis: Redis;
  /** The broadcast of event-type changes; `start()` subscribes. */
  eventTypeChanges: EventTypeChanges;
}

/** Builds every part of the ingest API from its configuration; nothing listens yet. */
export function buildIngestService(config: Config, log: Logger): IngestService {
  const database = createDatabase({
    url: config.db.url,
    maxConnections: config.db.poolSize,
    applicationName: 'triggers-ingest-api',
  });
  const redis = new Redis(config.redis.url, {
    // Fail commands at once while Redis is down: the rate limiter then falls back to memory.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: true,
    lazyConnect: false,
  });
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));

  const registry = createMetricsRegistry('ingest-api');
  const metrics = createIngestMetrics(registry);
  const notifier = new QueueNotifier(
    () => notifyEventsQueued(database.sql),
    config.queueNotifyIntervalMs,
    log.child({ component: 'queue-notifier' }),
  );
  const committer = createQueueCommitter(
    database.sql,
    { ...config.groupCommit, maxConcurrentFlushes: config.db.poolSize },
    metrics,
    notifier,
    log.child({ component: 'group-commit' }),
  );
  // Redis is reported but not critical: without it the API keeps ingesting on in-memory limits.
  const readiness = new Readiness([
    { name: 'postgres', critical: true, check: () => pingDatabase(database.sql) },
    { name: 'redis', critical: false, check: () => redis.ping() },
  ]);
  const authenticator = new ApiKeyAuthenticator(database.db, {
    cacheTtlMs: config.apiKeyCache.ttlMs,
    cacheMaxEntries: config.apiKeyCache.maxEntries,
  });
  const rateLimiter = new OrganizationRateLimiter({
    redis,
    keyPrefix: config.redis.keyPrefix,
    defaultPerSecond: config.rateLimit.perSecond,
  });
  const amplificationLimiter = new AmplificationLimiter({
    redis,
    keyPrefix: config.redis.keyPrefix,
    perMinute: config.rateLimit.amplifyingPerMinute,
  });
  // Replays must fail fast while Redis is down: they are undone and answered 503.
  const deliveryQueueRedis = new Redis(config.redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  deliveryQueueRedis.on('error', (err: Error) =>
    log.warn({ err: err.message }, 'delivery queue connection error'),
  );
  const deliveryQueue = createDeliveryQueue(deliveryQueueRedis, config.redis.keyPrefix);
  deliveryQueue.on('error', (err: Error) => log.warn({ err: err.message }, 'delivery queue error'));
  const eventTypes = new EventTypeValidators(
    database.db,
    { ...config.eventTypeCache, lookupTimeoutMs: config.groupCommit.timeoutMs },
    log.child({ component: 'event-types' }),
  );
  const eventTypeChanges = new EventTypeChanges(
    config.redis.url,
    config.redis.keyPrefix,
    redis,
    eventTypes,
    log.child({ component: 'event-type-changes' }),
  );
  const app = createApp({
    db: database.db,
    committer,
    authenticator,
    rateLimiter,
    amplificationLimiter,
    readiness,
    metrics,
    log,
    adminToken: config.adminToken,
    bodyLimitBytes: config.http.bodyLimitBytes,
    redis,
    redisKeyPrefix: config.redis.keyPrefix,
    deliveryQueue,
    eventTypes,
    eventTypeChanges,
    webhooks: config.webhooks,
  });
  return {
    app,
    registry,
    readiness,
    committer,
    notifier,
    database,
    redis,
    deliveryQueue,
    deliveryQueueRedis,
    eventTypeChanges,
  };
}
