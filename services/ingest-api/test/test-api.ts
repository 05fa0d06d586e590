import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  createTestDatabase,
  deleteRedisKeys,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { createLogger } from '@triggers/runtime';
import { insertApiKey, insertOrganization } from '@triggers/db';
import { closeDeliveryQueue } from '@triggers/delivery-queue';
import { generateApiKey } from '../src/auth/api-keys.js';
import { loadConfig, type Config } from '../src/config.js';
import { createHttpServer } from '../src/http-server.js';
import { buildIngestService, type IngestService } from '../src/ingest-service.js';
import { openApiMismatches, recordExchanges, type Exchange } from './openapi-check.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApi {
  url: string;
  db: TestDatabase;
  service: IngestService;
  config: Config;
  /** A new organization and a working API key for it. */
  /** Every response the API gave during the test file, for the OpenAPI conformance check. */
  exchanges: Exchange[];
  createOrganization: (options?: {
    rateLimitPerSecond?: number;
  }) => Promise<{ id: string; key: string; keyId: string }>;
  /** Stops everything, then fails if any response of the file did not conform to the OpenAPI document. */
  close: () => Promise<void>;
}

/**
 * The real ingest API on a real socket, over a fresh database and its own Redis key prefix. `env`
 * overrides configuration (e.g. another DATABASE_URL for a server the test kills).
 */
export async function startTestApi(
  env: Record<string, string> = {},
  existingDb?: TestDatabase,
): Promise<TestApi> {
  const db = existingDb ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: uniqueRedisPrefix(),
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    API_KEY_CACHE_TTL_MS: '0',
    ...env,
  });
  const service = buildIngestService(config, createLogger({ service: 'ingest-api-test', level: 'silent' }));
  service.eventTypeChanges.start();
  // Until Redis is connected, rate limits are counted in memory (by design, so that ingestion never
  // waits for Redis); tests that count 429s need the Redis count from their first request.
  if (service.redis.status !== 'ready') await once(service.redis, 'ready');
  const exchanges: Exchange[] = [];
  const server: Server = createHttpServer(recordExchanges(service.app, exchanges), config.http.limits);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    service,
    config,
    exchanges,
    createOrganization: async (options = {}) => {
      const org = await insertOrganization(db.db, {
        name: 'test-org',
        rateLimitPerSecond: options.rateLimitPerSecond ?? null,
      });
      const { key, hash, prefix } = generateApiKey();
      const row = await insertApiKey(db.db, {
        organizationId: org.id,
        name: 'test',
        prefix,
        keyHash: hash,
        revokedAt: null,
      });
      return { id: org.id, key, keyId: row.id };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.committer.drain();
      await Promise.allSettled([
        service.eventTypeChanges.close(),
        closeDeliveryQueue(service.deliveryQueue, service.deliveryQueueRedis),
      ]);
      service.redis.disconnect();
      // Some tests kill their Redis: then there is nothing left to delete.
      await deleteRedisKeys(config.redis.url, config.redis.keyPrefix).catch(() => undefined);
      await service.database.close();
      if (!existingDb) await db.drop();
      const mismatches = await openApiMismatches(exchanges);
      if (mismatches.length > 0) {
        throw new Error(`responses that do not conform to the OpenAPI document:\n${mismatches.join('\n')}`);
      }
    },
  };
}

/** POSTs JSON (or raw bytes) with an API key. */
export function post(
  api: TestApi,
  path: string,
  key: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
}

/** A valid event envelope. */
export function anEvent(overrides: Record<string, unknown> = {}) {
  return { type: 'order.created', payload: { order_id: 'ord_1', total: 4200 }, ...overrides };
}

/** The value of one sample in the service's /metrics text, e.g. `triggers_group_commit_batch_rows_count`. */
export async function metricValue(api: TestApi, sample: string): Promise<number> {
  const text = await api.service.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${sample}{`) || l.startsWith(`${sample} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
