import { Queue } from 'bullmq';
import {
  insertOrganization,
  insertQueuedEvents,
  processQueuedBatch,
  resetDeliveryForReplay,
} from '@triggers/db';
import {
  DELIVERY_QUEUE_NAME,
  bullPrefix,
  createDeliveryQueue,
  handOffDeliveries,
  queueDeliveryRuns,
  type DeliveryQueue,
  type DeliveryQueueData,
} from '@triggers/delivery-queue';
import { createLogger } from '@triggers/runtime';
import {
  createTestDatabase,
  deleteRedisKeys,
  queueRow,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { generateEndpointSecret } from '@triggers/webhooks';
import { loadConfig, type Config } from '../src/config.js';
import { buildDelivererService, type DelivererService } from '../src/deliverer-service.js';

/** Fast retries and short timeouts, so that tests see whole retry sequences in seconds. */
export const FAST = {
  ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
  RETRY_BASE_DELAY_MS: '50',
  RETRY_BACKOFF_FACTOR: '2',
  REQUEST_TIMEOUT_MS: '2000',
  CIRCUIT_FAILURE_THRESHOLD: '1000',
  LOG_LEVEL: 'silent',
  METRICS_PORT: '0',
};

export interface DeliveryWorld {
  db: TestDatabase;
  env: Record<string, string>;
  organizationId: string;
  startDeliverer: (env?: Record<string, string>) => Promise<DelivererService & { config: Config }>;
  /** Another organization, for tests where one organization must not affect another. */
  createOrganization: () => Promise<string>;
  /** An endpoint of `organizationId` (the world's organization unless given). */
  createEndpoint: (
    url: string,
    overrides?: Partial<{
      eventTypes: string[];
      maxAttempts: number;
      timeoutMs: number;
      secret: string;
      previousSecret: string;
      previousSecretExpiresAt: Date;
      organizationId: string;
    }>,
  ) => Promise<{ id: string; secret: string }>;
  /** Sends events down the real pipeline: queued, processed into deliveries, handed to BullMQ. */
  publish: (count: number, type?: string, organizationId?: string) => Promise<string[]>;
  /** Puts a settled delivery back in line, as the replay API does. */
  replay: (deliveryId: string) => Promise<void>;
  delivery: (id: string) => Promise<{
    status: string;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
  }>;
  attempts: (id: string) => Promise<
    {
      attempt: number;
      status_code: number | null;
      error_kind: string | null;
      response_body: string | null;
      created_at: Date;
    }[]
  >;
  jobsQueue: () => DeliveryQueue;
  close: () => Promise<void>;
}

export async function createDeliveryWorld(): Promise<DeliveryWorld> {
  const db = await createTestDatabase();
  const redisPrefix = uniqueRedisPrefix();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: redisPrefix,
    ...FAST,
  };
  const organizationId = (await insertOrganization(db.db, { name: 'org', rateLimitPerSecond: null })).id;
  const producer = createDeliveryQueue({ url: testRedisUrl() }, redisPrefix);
  const started: DelivererService[] = [];
  const queues: DeliveryQueue[] = [];
  return {
    db,
    env,
    organizationId,
    startDeliverer: async (overrides = {}) => {
      const config = loadConfig({ ...env, ...overrides });
      const service = buildDelivererService(
        config,
        createLogger({ service: 'deliverer-test', level: 'silent' }),
      );
      service.start();
      started.push(service);
      return Object.assign(service, { config });
    },
    createOrganization: async () =>
      (await insertOrganization(db.db, { name: 'other-org', rateLimitPerSecond: null })).id,
    createEndpoint: async (url, o = {}) => {
      const secret = o.secret ?? generateEndpointSecret();
      const row = await db.db
        .insertInto('endpoints')
        .values({
          organizationId: o.organizationId ?? organizationId,
          url,
          secret,
          eventTypes: o.eventTypes ?? [],
          description: null,
          disabledReason: null,
          previousSecret: o.previousSecret ?? null,
          previousSecretExpiresAt: o.previousSecretExpiresAt ?? null,
          maxAttempts: o.maxAttempts ?? null,
          timeoutMs: o.timeoutMs ?? null,
          failingSince: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, secret };
    },
    publish: async (count, type = 'order.created', publisher = organizationId) => {
      const rows = Array.from({ length: count }, (_, i) => queueRow(publisher, { type, payload: { i } }));
      const deliveryIds: string[] = [];
      for (let i = 0; i < rows.length; i += 1000) {
        await insertQueuedEvents(db.sql, rows.slice(i, i + 1000));
        for (;;) {
          const batch = await processQueuedBatch(db.sql, 1000);
          if (batch.claimed === 0) break;
          await handOffDeliveries(producer, batch.deliveries);
          deliveryIds.push(...batch.deliveries.map((d) => d.id));
        }
      }
      return deliveryIds;
    },
    replay: async (deliveryId) => {
      // The replay API's own steps: the reset, then the job of the new run.
      const result = await resetDeliveryForReplay(db.db, organizationId, deliveryId);
      if (result.outcome !== 'replayed') throw new Error(`not replayable: ${result.outcome}`);
      await queueDeliveryRuns(producer, [result.previous]);
    },
    delivery: async (id) => {
      const [row] = await db.sql<
        { status: string; attempts: number; last_status_code: number | null; last_error: string | null }[]
      >`
        SELECT status, attempts, last_status_code, last_error FROM deliveries WHERE id = ${id}`;
      return row!;
    },
    attempts: async (id) =>
      db.sql<
        {
          attempt: number;
          status_code: number | null;
          error_kind: string | null;
          response_body: string | null;
          created_at: Date;
        }[]
      >`
        SELECT attempt, status_code, error_kind, response_body, created_at FROM delivery_attempts WHERE delivery_id = ${id} ORDER BY id`,
    jobsQueue: () => {
      // Without the producers' job options: finished jobs stay, so tests can see how they ended.
      const queue = new Queue<DeliveryQueueData>(DELIVERY_QUEUE_NAME, {
        connection: { url: testRedisUrl() },
        prefix: bullPrefix(redisPrefix),
      });
      queues.push(queue);
      return queue;
    },
    close: async () => {
      await Promise.all(started.map((s) => s.stop()));
      await producer.close();
      for (const q of queues) await q.close();
      // The jobs, the queue's own keys and the circuits: everything under this world's prefix.
      await deleteRedisKeys(testRedisUrl(), redisPrefix);
      await db.drop();
    },
  };
}

export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
