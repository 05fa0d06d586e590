import {
  insertOrganization,
  insertQueuedEvents,
  notifyEventsQueued,
  type QueueInsertRow,
} from '@triggers/db';
import { createDeliveryQueue, type DeliveryQueue } from '@triggers/delivery-queue';
import { createLogger } from '@triggers/runtime';
import {
  createTestDatabase,
  deleteRedisKeys,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { loadConfig, type Config } from '../src/config.js';
import { buildProcessorService, type ProcessorService } from '../src/processor-service.js';

export interface TestWorld {
  db: TestDatabase;
  redisUrl: string;
  redisPrefix: string;
  /** Environment for a processor over this world's database and Redis prefix. */
  env: Record<string, string>;
  /** A processor built in this process (tests may build several). */
  startProcessor: (env?: Record<string, string>) => Promise<ProcessorService & { config: Config }>;
  /** Reads the delivery queue as the deliverer would. */
  jobsQueue: () => DeliveryQueue;
  close: () => Promise<void>;
}

export async function createTestWorld(options: { redisUrl?: string } = {}): Promise<TestWorld> {
  const db = await createTestDatabase();
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const redisPrefix = uniqueRedisPrefix();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    LOG_LEVEL: 'silent',
  };
  const started: ProcessorService[] = [];
  const queues: DeliveryQueue[] = [];
  return {
    db,
    redisUrl,
    redisPrefix,
    env,
    startProcessor: async (overrides = {}) => {
      const config = loadConfig({ ...env, ...overrides });
      const service = buildProcessorService(
        config,
        createLogger({ service: 'processor-test', level: 'silent' }),
      );
      await service.start();
      started.push(service);
      return Object.assign(service, { config });
    },
    jobsQueue: () => {
      const queue = createDeliveryQueue({ url: redisUrl }, redisPrefix);
      queues.push(queue);
      return queue;
    },
    close: async () => {
      await Promise.all(started.map((s) => s.stop()));
      for (const q of queues) await q.close();
      // Everything under this world's prefix, the queue's keys included. (Some tests kill their
      // Redis: then there is nothing left to delete.)
      await deleteRedisKeys(redisUrl, redisPrefix).catch(() => undefined);
      await db.drop();
    },
  };
}

export async function createOrganization(db: TestDatabase): Promise<string> {
  return (await insertOrganization(db.db, { name: 'org', rateLimitPerSecond: null })).id;
}

export async function createEndpoint(
  db: TestDatabase,
  organizationId: string,
  eventTypes: string[] = [],
  enabled = true,
): Promise<string> {
  const row = await db.db
    .insertInto('endpoints')
    .values({
      organizationId,
      url: 'http://127.0.0.1:9/hook',
      secret: 'whsec_dGVzdA==',
      eventTypes,
      enabled,
      description: null,
      disabledReason: null,
      previousSecret: null,
      previousSecretExpiresAt: null,
      maxAttempts: null,
      timeoutMs: null,
      failingSince: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Fills the queue through the ingest API's own INSERT, in chunks. */
export async function enqueueEvents(db: TestDatabase, rows: QueueInsertRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await insertQueuedEvents(db.sql, rows.slice(i, i + 1000));
  await notifyEventsQueued(db.sql); // as the ingest API does after its commits
}

export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function count(
  db: TestDatabase,
  table: 'event_queue' | 'events' | 'deliveries' | 'delivery_handoffs',
): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${db.sql(table)}`;
  return row!.n;
}
