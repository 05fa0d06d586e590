// Risk: a hot statement is prepared once per connection and planned with the statistics of that
// moment. Planned on a new deployment's empty tables, a lookup by key became a full scan of
// events (a hashed subplan, a hash join) on every execution: a cost that grew with every event
// stored and saturated the machine at 500 events/s. These statements must probe by key whatever
// the statistics said when they were planned.
import postgres from 'postgres';
import { createTestDatabase, queueRow, type TestDatabase } from '@triggers/testing';
import {
  insertOrganization,
  insertQueuedEvents,
  loadDeliveriesToSend,
  recordAttempts,
} from '../src/index.js';
import { insertEndpoint } from './fixtures.js';

describe('hot statements planned on empty tables', () => {
  let db: TestDatabase;
  let sql: postgres.Sql;
  let organizationId: string;
  let endpointId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
    endpointId = await insertEndpoint(db.sql, organizationId);
    // One connection, its statements' plans kept from the first execution on.
    sql = postgres(db.url, { max: 1, connection: { plan_cache_mode: 'force_generic_plan' } });
  });
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  /** Sequential scans of `table` so far, this connection's included. */
  async function scansOf(table: string): Promise<number> {
    await sql`SELECT pg_stat_force_next_flush()`;
    const [row] = await db.sql<{ n: number }[]>`
      SELECT seq_scan::int AS n FROM pg_stat_user_tables WHERE relname = ${table}`;
    return row!.n;
  }

  async function storeEvents(count: number): Promise<void> {
    await db.sql`
      INSERT INTO events (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
      SELECT gen_random_uuid(), ${organizationId}, 'order.created', '{}', 'stored-' || gen_random_uuid(), now(), now()
      FROM generate_series(1, ${count})`;
  }

  async function newDelivery(): Promise<string> {
    const [delivery] = await db.sql<{ id: string }[]>`
      WITH e AS (
        INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at)
        VALUES (gen_random_uuid(), ${organizationId}, 'order.created', '{"n": 1}', now(), now())
        RETURNING id
      )
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
      SELECT gen_random_uuid(), ${organizationId}, e.id, ${endpointId} FROM e
      RETURNING id`;
    return delivery!.id;
  }

  it('ingest: looks for an already stored deduplicated event by key', async () => {
    await insertQueuedEvents(sql, [queueRow(organizationId, { dedupId: 'plan-0' })]); // planned here, events empty
    await storeEvents(5000);
    const before = await scansOf('events');
    for (let i = 1; i <= 3; i += 1)
      await insertQueuedEvents(sql, [queueRow(organizationId, { dedupId: `plan-${i}` })]);
    expect(await scansOf('events')).toBe(before);
  });

  it('deliverer: loads deliveries with their events and endpoints by key', async () => {
    await db.sql`TRUNCATE events CASCADE`;
    await loadDeliveriesToSend(sql, [await newDelivery()]); // planned here, one delivery stored
    await storeDeliveries(5000);
    const before = await scansOfAll();
    const ids = [await newDelivery(), await newDelivery()];
    const loaded = await loadDeliveriesToSend(sql, ids);
    expect([...loaded.keys()].sort()).toEqual([...ids].sort());
    expect(loaded.get(ids[0]!)).toMatchObject({ event: { payload: { n: 1 } }, endpoint: { id: endpointId } });
    expect(await scansOfAll()).toEqual(before);
  });

  it('deliverer: records attempts locking each delivery by key', async () => {
    await db.sql`TRUNCATE events CASCADE`;
    const record = (deliveryId: string) => ({
      deliveryId,
      organizationId,
      attempt: 1,
      replays: 0,
      statusCode: 200,
      durationMs: 5,
      errorKind: null,
      error: null,
      responseBody: null,
      status: 'delivered' as const,
      nextAttemptAt: null,
    });
    await recordAttempts(sql, [record(await newDelivery())]); // planned here, one delivery stored
    await storeDeliveries(5000);
    const before = await scansOf('deliveries');
    const ids = [await newDelivery(), await newDelivery()];
    await recordAttempts(sql, ids.map(record));
    expect(await scansOf('deliveries')).toBe(before);
    const recorded = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM deliveries WHERE id = ANY(${ids}::uuid[]) AND status = 'delivered'`;
    expect(recorded[0]!.n).toBe(2);
  });

  async function scansOfAll() {
    return {
      deliveries: await scansOf('deliveries'),
      events: await scansOf('events'),
      endpoints: await scansOf('endpoints'),
    };
  }

  /** Stores `count` events with one delivery each (the tables' growth after the plan was made). */
  async function storeDeliveries(count: number): Promise<void> {
    await db.sql`
      WITH e AS (
        INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at)
        SELECT gen_random_uuid(), ${organizationId}, 'order.created', '{}', now(), now()
        FROM generate_series(1, ${count})
        RETURNING id
      )
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
      SELECT gen_random_uuid(), ${organizationId}, e.id, ${endpointId} FROM e`;
  }
});
