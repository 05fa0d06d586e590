// Risk: a batch's jobs leave in an order the query plan happens to choose. Grouped by endpoint,
// a worker's next 200 jobs all wait behind one endpoint's in-flight cap (a third of the delivery
// rate was lost that way); out of event order, the documented per-processor order is broken.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, queueRow, type TestDatabase } from '@triggers/testing';
import { insertOrganization, insertQueuedEvents, processQueuedBatch } from '../src/index.js';

describe('processQueuedBatch', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('hands deliveries over in event order, each event’s endpoints side by side', async () => {
    const organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
    const endpoints = await db.sql<{ id: string }[]>`
      INSERT INTO endpoints (organization_id, url, secret)
      SELECT ${organizationId}, 'https://hooks.example.com/' || n, 'whsec_dGVzdA=='
      FROM generate_series(1, 4) AS n
      RETURNING id`;
    const endpointIds = endpoints.map((e) => e.id).sort();
    const eventIds = Array.from({ length: 300 }, () => randomUUID());
    for (let start = 0; start < eventIds.length; start += 50) {
      // Several commits, as the ingest API makes them.
      await insertQueuedEvents(
        db.sql,
        eventIds.slice(start, start + 50).map((id) => queueRow(organizationId, { id })),
      );
    }
    await db.sql`ANALYZE`; // statistics are what made the plan (and the order) change

    const batch = await processQueuedBatch(db.sql, 1000);
    expect(batch.deliveries.map((d) => [d.eventId, d.endpointId])).toEqual(
      eventIds.flatMap((eventId) => endpointIds.map((endpointId) => [eventId, endpointId])),
    );
  });
});
