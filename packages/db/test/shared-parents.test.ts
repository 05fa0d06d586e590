// Risk: events.organization_id and deliveries.endpoint_id are checked per statement instead of by
// row-level foreign keys. Done wrong, an event names an organization that is gone, a delivery an
// endpoint that is gone (sent to nowhere, or never cleaned up), or a deleted parent leaves rows.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, queueRow, type TestDatabase } from '@triggers/testing';
import {
  insertOrganization,
  insertQueuedEvents,
  processQueuedBatch,
  type QueueInsertRow,
} from '../src/index.js';
import { insertEndpoint } from './fixtures.js';

describe('organization and endpoint references', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function organizationWithEndpoint(): Promise<{ organizationId: string; endpointId: string }> {
    const organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
    return { organizationId, endpointId: await insertEndpoint(db.sql, organizationId) };
  }

  function queued(organizationId: string, count: number): QueueInsertRow[] {
    return Array.from({ length: count }, () => queueRow(organizationId));
  }

  async function count(
    table: 'events' | 'deliveries' | 'delivery_attempts' | 'event_queue',
    organizationId: string,
  ) {
    const [row] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM ${db.sql(table)} WHERE organization_id = ${organizationId}`;
    return row!.n;
  }

  /** Queues and processes `count` events, then records one attempt for each of their deliveries. */
  async function processWithAttempts(organizationId: string, count: number): Promise<void> {
    await insertQueuedEvents(db.sql, queued(organizationId, count));
    await processQueuedBatch(db.sql, count);
    await db.sql`
      INSERT INTO delivery_attempts (delivery_id, organization_id, attempt, duration_ms)
      SELECT id, organization_id, 1, 5 FROM deliveries WHERE organization_id = ${organizationId}`;
  }

  it('refuses an event whose organization does not exist, and stores none of its statement', async () => {
    const { organizationId } = await organizationWithEndpoint();
    const missing = randomUUID();
    const insert = db.sql`
      INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at)
      VALUES (${randomUUID()}, ${organizationId}, 'a', '{}', now(), now()),
             (${randomUUID()}, ${missing}, 'a', '{}', now(), now())`;
    await expect(insert).rejects.toMatchObject({ code: '23503' });
    expect(await count('events', organizationId)).toBe(0);
  });

  it('refuses a delivery whose endpoint does not exist', async () => {
    const { organizationId, endpointId } = await organizationWithEndpoint();
    await insertQueuedEvents(db.sql, queued(organizationId, 1));
    await processQueuedBatch(db.sql, 10);
    const [event] = await db.sql<
      { id: string }[]
    >`SELECT id FROM events WHERE organization_id = ${organizationId}`;
    await db.sql`DELETE FROM deliveries WHERE event_id = ${event!.id}`;
    const insert = db.sql`
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
      VALUES (${randomUUID()}, ${organizationId}, ${event!.id}, ${randomUUID()})`;
    await expect(insert).rejects.toMatchObject({ code: '23503' });
    // The real endpoint is accepted.
    await db.sql`
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
      VALUES (${randomUUID()}, ${organizationId}, ${event!.id}, ${endpointId})`;
  });

  it('refuses to move a delivery to another endpoint or an event to another organization', async () => {
    const { organizationId, endpointId } = await organizationWithEndpoint();
    const other = await organizationWithEndpoint();
    await insertQueuedEvents(db.sql, queued(organizationId, 1));
    await processQueuedBatch(db.sql, 10);
    await expect(
      db.sql`UPDATE deliveries SET endpoint_id = ${other.endpointId} WHERE endpoint_id = ${endpointId}`,
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      db.sql`UPDATE events SET organization_id = ${other.organizationId} WHERE organization_id = ${organizationId}`,
    ).rejects.toMatchObject({ code: '23503' });
    // Other columns still change freely.
    await db.sql`UPDATE deliveries SET status = 'delivered' WHERE endpoint_id = ${endpointId}`;
  });

  it('deletes an endpoint’s deliveries and their attempts with the endpoint', async () => {
    const { organizationId, endpointId } = await organizationWithEndpoint();
    const kept = await insertEndpoint(db.sql, organizationId, 'https://other.example.com/');
    await processWithAttempts(organizationId, 3);

    await db.sql`DELETE FROM endpoints WHERE id = ${endpointId}`;

    const left = await db.sql<{ endpoint_id: string }[]>`
      SELECT endpoint_id FROM deliveries WHERE organization_id = ${organizationId}`;
    expect(left.map((d) => d.endpoint_id)).toEqual([kept, kept, kept]);
    expect(await count('delivery_attempts', organizationId)).toBe(3);
    expect(await count('events', organizationId)).toBe(3);
  });

  it('deletes an organization’s events, deliveries and attempts with the organization', async () => {
    const { organizationId } = await organizationWithEndpoint();
    await processWithAttempts(organizationId, 3);

    await db.sql`DELETE FROM organizations WHERE id = ${organizationId}`;

    expect(await count('events', organizationId)).toBe(0);
    expect(await count('deliveries', organizationId)).toBe(0);
    expect(await count('delivery_attempts', organizationId)).toBe(0);
  });

  it('fails a batch whose endpoint is deleted while it runs, leaving its events queued', async () => {
    const { organizationId, endpointId } = await organizationWithEndpoint();
    await insertQueuedEvents(db.sql, queued(organizationId, 5));
    const deleter = await db.sql.reserve();
    try {
      await deleter`BEGIN`;
      await deleter`DELETE FROM endpoints WHERE id = ${endpointId}`;
      // The batch reads the endpoint (the delete is not committed), then waits for its lock.
      const batch = processQueuedBatch(db.sql, 10);
      await waitForLockWait(db);
      await deleter`COMMIT`;
      await expect(batch).rejects.toMatchObject({ code: '23503' });
    } finally {
      deleter.release();
    }
    expect(await count('event_queue', organizationId)).toBe(5);
    expect(await count('deliveries', organizationId)).toBe(0);
    // The next batch no longer finds the endpoint: the events are stored, with nothing to deliver.
    const next = await processQueuedBatch(db.sql, 10);
    expect(next.persisted).toBe(5);
    expect(next.deliveries).toEqual([]);
  });

  it('makes an endpoint delete wait for a batch that holds its lock, then removes the new deliveries', async () => {
    const { organizationId, endpointId } = await organizationWithEndpoint();
    await insertQueuedEvents(db.sql, queued(organizationId, 5));
    const processor = await db.sql.reserve();
    try {
      await processor`BEGIN`;
      await processQueuedBatch(processor, 10);
      const deletion = db.sql`DELETE FROM endpoints WHERE id = ${endpointId}`.execute();
      await waitForLockWait(db);
      await processor`COMMIT`;
      await deletion;
    } finally {
      processor.release();
    }
    expect(await count('events', organizationId)).toBe(5);
    expect(await count('deliveries', organizationId)).toBe(0);
  });
});

/** Resolves once some backend of this database waits for a row lock. */
async function waitForLockWait(db: TestDatabase): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no backend started waiting for a lock');
}
