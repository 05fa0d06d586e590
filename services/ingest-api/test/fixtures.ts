import { Queue } from 'bullmq';
import type { Kysely, KyselyPlugin } from 'kysely';
import { processQueuedBatch, type Database } from '@triggers/db';
import { DELIVERY_QUEUE_NAME, bullPrefix, type DeliveryJobData } from '@triggers/delivery-queue';
import type { TestApi } from './test-api.js';

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** One API call with an organization's key; the body is parsed when there is one. */
export async function call<T = Record<string, unknown>>(
  api: TestApi,
  method: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<Reply<T>> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Moves every queued event into `events` with its deliveries, with the processor's own statement. */
export async function processQueue(api: TestApi): Promise<void> {
  while ((await processQueuedBatch(api.db.sql, 1000)).claimed > 0);
}

/** Sends events and waits until they are stored; returns their ids in order. */
export async function sendStoredEvents(
  api: TestApi,
  key: string,
  events: { type: string; payload?: Record<string, unknown> }[],
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < events.length; i += 1000) {
    const reply = await call<{ results: { id: string }[] }>(api, 'POST', '/api/events/batch', key, {
      events: events.slice(i, i + 1000).map((e) => ({ payload: {}, ...e })),
    });
    if (reply.status !== 202)
      throw new Error(`batch answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    ids.push(...reply.body.results.map((r) => r.id));
  }
  await processQueue(api);
  return ids;
}

/** Creates an endpoint through the API (the test API must allow private targets). */
export async function createEndpoint(
  api: TestApi,
  key: string,
  input: Record<string, unknown> = {},
): Promise<{ id: string; secret: string }> {
  const reply = await call<{ id: string; secret: string }>(api, 'POST', '/api/endpoints', key, {
    url: 'http://127.0.0.1:9/hook',
    ...input,
  });
  if (reply.status !== 201)
    throw new Error(`endpoint answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Puts a delivery in a state, as the deliverer would have left it, with its attempts. */
export async function setDeliveryState(
  api: TestApi,
  deliveryId: string,
  status: 'pending' | 'failed' | 'delivered' | 'dead',
  attempts: { statusCode: number | null; error?: string }[] = [],
): Promise<void> {
  const sql = api.db.sql;
  const last = attempts.at(-1);
  await sql`
    UPDATE deliveries SET status = ${status}, attempts = ${attempts.length},
      last_status_code = ${last?.statusCode ?? null}, last_error = ${last?.error ?? null},
      delivered_at = ${status === 'delivered' ? new Date() : null},
      next_attempt_at = ${status === 'failed' ? new Date(Date.now() + 60_000) : null}
    WHERE id = ${deliveryId}`;
  for (const [i, a] of attempts.entries()) {
    await sql`
      INSERT INTO delivery_attempts (delivery_id, organization_id, attempt, status_code, duration_ms, error_kind, error, response_body)
      SELECT id, organization_id, ${i + 1}, ${a.statusCode}, 12,
             ${a.error ? 'network' : a.statusCode !== null && a.statusCode >= 300 ? 'http_status' : null},
             ${a.error ?? null}, ${a.statusCode === null ? null : 'body'}
      FROM deliveries WHERE id = ${deliveryId}`;
  }
}

/** The ids of an event's deliveries, by endpoint. */
export async function deliveriesOf(api: TestApi, eventId: string): Promise<Map<string, string>> {
  const rows = await api.db.sql<{ id: string; endpoint_id: string }[]>`
    SELECT id, endpoint_id FROM deliveries WHERE event_id = ${eventId}`;
  return new Map(rows.map((r) => [r.endpoint_id, r.id]));
}

/** The delivery queue as the deliverer reads it. */
export function deliveryQueueOf(api: TestApi): Queue<DeliveryJobData> {
  return new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, {
    connection: { url: api.config.redis.url },
    prefix: bullPrefix(api.config.redis.keyPrefix),
  });
}

/** Jobs waiting for the deliverer. */
export async function waitingJobs(queue: Queue<DeliveryJobData>) {
  return queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1);
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The same database connection, counting the queries that go through it (a kysely plugin). */
export function countingQueries(db: Kysely<Database>): { db: Kysely<Database>; queries: () => number } {
  let queries = 0;
  const counting: KyselyPlugin = {
    transformQuery: ({ node }) => {
      queries += 1;
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { db: db.withPlugin(counting), queries: () => queries };
}
