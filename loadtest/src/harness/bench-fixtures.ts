import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { insertQueuedEvents, type QueueInsertRow } from '@triggers/db';

/** A postgres.js pool for the bench's own reads and writes on a bench database. */
export function benchSql(url: string, max = 4): postgres.Sql {
  return postgres(url, { max, onnotice: () => {}, connect_timeout: 5 });
}

/** An organization with one enabled endpoint per URL, made directly in Postgres. */
export async function createOrganizationWithEndpoints(
  sql: postgres.Sql,
  name: string,
  urls: readonly string[],
): Promise<{ organizationId: string; endpointIds: string[] }> {
  const [organization] = await sql<{ id: string }[]>`
    INSERT INTO organizations (name) VALUES (${name}) RETURNING id`;
  const organizationId = organization!.id;
  const endpointIds: string[] = [];
  for (const url of urls) {
    const [endpoint] = await sql<{ id: string }[]>`
      INSERT INTO endpoints (organization_id, url, secret)
      VALUES (${organizationId}, ${url}, ${`whsec_${Buffer.from(randomUUID()).toString('base64')}`})
      RETURNING id`;
    endpointIds.push(endpoint!.id);
  }
  return { organizationId, endpointIds };
}

/** `count` queue rows shaped like what the ingest API stores for the bench's ~300-byte events. */
export function queueRows(organizationId: string, count: number, tag: string): QueueInsertRow[] {
  const now = new Date();
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    organizationId,
    type: 'order.created',
    payload: {
      order_id: `ord_${index}`,
      customer: { id: 'cus_8f14e45fceea167a', email: 'jane.doe@example.com' },
      amount_cents: 4999 + (index % 100),
      currency: 'EUR',
      items: [
        { sku: 'SKU-RED-42', quantity: 2 },
        { sku: 'SKU-BLUE-7', quantity: 1 },
      ],
      shipping: { country: 'DE', method: 'standard' },
    },
    dedupId: `${tag}-${index}`,
    occurredAt: now,
    receivedAt: now,
  }));
}

/** Inserts rows into event_queue the way the ingest API does, `chunk` rows per statement. */
export async function insertQueueRows(
  sql: postgres.Sql,
  rows: readonly QueueInsertRow[],
  chunk = 1000,
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunk) {
    await insertQueuedEvents(sql, rows.slice(start, start + chunk));
  }
}

/** Row counts that tell whether the pipeline lost or doubled anything. */
export interface PipelineCounts {
  queued: number;
  events: number;
  deliveries: number;
  /** Events with at least one delivery. */
  eventsWithDeliveries: number;
  delivered: number;
  attempts: number;
  /** Hand-offs to BullMQ not yet confirmed. */
  handoffs: number;
}

export async function countPipelineRows(sql: postgres.Sql): Promise<PipelineCounts> {
  const [row] = await sql<PipelineCounts[]>`
    SELECT
      (SELECT count(*) FROM event_queue)::int AS queued,
      (SELECT count(*) FROM events)::int AS events,
      (SELECT count(*) FROM deliveries)::int AS deliveries,
      (SELECT count(DISTINCT event_id) FROM deliveries)::int AS "eventsWithDeliveries",
      (SELECT count(*) FROM deliveries WHERE status = 'delivered')::int AS delivered,
      (SELECT count(*) FROM delivery_attempts)::int AS attempts,
      (SELECT count(*) FROM delivery_handoffs)::int AS handoffs`;
  return row!;
}

/** Rows of one table: a cheap poll, unlike countPipelineRows. */
export async function countRows(
  sql: postgres.Sql,
  table: 'event_queue' | 'delivery_handoffs' | 'delivery_attempts',
): Promise<number> {
  const [row] = await sql<{ count: number }[]>`SELECT count(*)::int AS count FROM ${sql(table)}`;
  return row!.count;
}
