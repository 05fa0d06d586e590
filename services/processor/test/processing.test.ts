// Risk: a queued event is lost, stored twice, or fanned out to the wrong endpoints.
import { processQueuedBatch } from '@triggers/db';
import { deliveryIdsOf, queuedDeliveryIds } from '@triggers/delivery-queue';
import { queueRow } from '@triggers/testing';
import {
  count,
  createEndpoint,
  createOrganization,
  createTestWorld,
  enqueueEvents,
  waitFor,
  type TestWorld,
} from './test-processor.js';

describe('processQueuedBatch', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await createTestWorld();
  });
  afterEach(() => world.close());

  it('stores each queued event once and creates one delivery per enabled endpoint whose filter matches', async () => {
    const org = await createOrganization(world.db);
    const all = await createEndpoint(world.db, org, []);
    const star = await createEndpoint(world.db, org, ['*']);
    const orders = await createEndpoint(world.db, org, ['order.*']);
    const users = await createEndpoint(world.db, org, ['user.created', 'user.deleted']);
    await createEndpoint(world.db, org, [], false); // disabled: never receives
    const other = await createOrganization(world.db);
    await createEndpoint(world.db, other, []); // another organization's: never receives ours

    const events = [
      'order.created',
      'order.items.added',
      'user.created',
      'invoice.paid',
      'orders.created',
    ].map((type) => queueRow(org, { type }));
    await enqueueEvents(world.db, events);
    const batch = await processQueuedBatch(world.db.sql, 100);

    expect(batch).toMatchObject({ claimed: 5, persisted: 5 });
    expect(await count(world.db, 'event_queue')).toBe(0);
    expect(await count(world.db, 'events')).toBe(5);
    const expected: Record<string, string[]> = {
      'order.created': [all, star, orders],
      'order.items.added': [all, star, orders],
      'user.created': [all, star, users],
      'invoice.paid': [all, star],
      'orders.created': [all, star], // `order.*` is a prefix of segments, not of characters
    };
    const rows = await world.db.sql<{ type: string; endpoint_id: string }[]>`
      SELECT e.type, d.endpoint_id FROM deliveries d JOIN events e ON e.id = d.event_id`;
    for (const [type, endpoints] of Object.entries(expected)) {
      expect(
        rows
          .filter((r) => r.type === type)
          .map((r) => r.endpoint_id)
          .sort(),
      ).toEqual([...endpoints].sort());
    }
    expect(batch.deliveries).toHaveLength(rows.length);
    expect(await count(world.db, 'delivery_handoffs')).toBe(1);
  });

  it('collapses a duplicate that raced into the queue after the first copy was stored', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    const first = queueRow(org, { dedupId: 'dup-1' });
    await enqueueEvents(world.db, [first]);
    await processQueuedBatch(world.db.sql, 10);
    // The ingest check ran just before the first copy was stored, so the copy entered the queue.
    await world.db
      .sql`INSERT INTO event_queue (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
                       VALUES (${first.id}, ${org}, 'order.created', ${world.db.sql.json({})}, 'dup-1', now(), now())`;
    // And a copy under another id but the same (organization, dedup_id): the unique key still holds.
    await enqueueEvents(world.db, [queueRow(org, { dedupId: 'dup-1' })]);
    const batch = await processQueuedBatch(world.db.sql, 10);
    expect(batch).toMatchObject({ claimed: 2, persisted: 0, deliveries: [] });
    expect(await count(world.db, 'events')).toBe(1);
    expect(await count(world.db, 'deliveries')).toBe(1);
    expect(await count(world.db, 'event_queue')).toBe(0);
  });

  it('stores the event of an organization without endpoints, unacknowledged, for its inbox', async () => {
    const org = await createOrganization(world.db);
    await enqueueEvents(world.db, [queueRow(org)]);
    const batch = await processQueuedBatch(world.db.sql, 10);
    expect(batch).toMatchObject({ claimed: 1, persisted: 1, deliveries: [], handoffId: null });
    const [event] = await world.db.sql<
      { acknowledged_at: Date | null }[]
    >`SELECT acknowledged_at FROM events`;
    expect(event!.acknowledged_at).toBeNull();
  });

  it('claims oldest first and no more than the limit', async () => {
    const org = await createOrganization(world.db);
    const events = Array.from({ length: 5 }, (_, i) => queueRow(org, { payload: { i } }));
    await enqueueEvents(world.db, events);
    await processQueuedBatch(world.db.sql, 3);
    const stored = await world.db.sql<{ id: string }[]>`SELECT id FROM events`;
    expect(stored.map((e) => e.id).sort()).toEqual(
      events
        .slice(0, 3)
        .map((e) => e.id)
        .sort(),
    );
  });
});

describe('the processor', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await createTestWorld();
  });
  afterEach(() => world.close());

  it('hands every delivery to BullMQ, and clears the hand-off', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    await createEndpoint(world.db, org, ['order.*']);
    await world.startProcessor({ BATCH_SIZE: '50' });
    await enqueueEvents(
      world.db,
      Array.from({ length: 120 }, () => queueRow(org)),
    );
    await waitFor(
      async () =>
        (await count(world.db, 'event_queue')) === 0 && (await count(world.db, 'delivery_handoffs')) === 0,
    );
    const deliveries = await world.db.sql<{ id: string }[]>`SELECT id FROM deliveries`;
    expect(deliveries).toHaveLength(240);
    expect(await queuedDeliveryIds(world.jobsQueue())).toEqual(new Set(deliveries.map((d) => d.id)));
  });

  it('wakes on NOTIFY instead of waiting for its next poll', async () => {
    const org = await createOrganization(world.db);
    await world.startProcessor({ IDLE_POLL_MIN_MS: '20000', IDLE_POLL_MAX_MS: '20000' });
    await new Promise((r) => setTimeout(r, 200)); // past its first, empty poll
    await enqueueEvents(world.db, [queueRow(org)]);
    // Far sooner than the 20 s poll: only the notification can have woken it.
    await waitFor(async () => (await count(world.db, 'events')) === 1, 5000, 'event stored');
  });

  it('lets events committed within the gather window after a NOTIFY share one batch and one job', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    await world.startProcessor({
      BATCH_GATHER_MS: '1000',
      IDLE_POLL_MIN_MS: '20000',
      IDLE_POLL_MAX_MS: '20000',
    });
    await new Promise((r) => setTimeout(r, 200)); // past its first, empty poll
    // Five commits, each with its NOTIFY, as five ingest requests a few ms apart would make.
    for (let i = 0; i < 5; i++) {
      await enqueueEvents(world.db, [queueRow(org)]);
      await new Promise((r) => setTimeout(r, 30));
    }
    await waitFor(
      async () =>
        (await count(world.db, 'delivery_handoffs')) === 0 && (await count(world.db, 'deliveries')) === 5,
    );
    // Neither the first NOTIFY's loop nor the other loop claimed on its own: one batch job of five.
    const jobs = await world.jobsQueue().getJobs(['waiting']);
    expect(jobs.map((job) => deliveryIdsOf(job.data).length)).toEqual([5]);
  });

  it('shares 20,000 queued events between two processors, each processed exactly once', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    await enqueueEvents(
      world.db,
      Array.from({ length: 20_000 }, (_, i) => queueRow(org, { payload: { i } })),
    );
    const [a, b] = await Promise.all([
      world.startProcessor({ BATCH_SIZE: '200' }),
      world.startProcessor({ BATCH_SIZE: '200' }),
    ]);
    await waitFor(
      async () =>
        (await count(world.db, 'event_queue')) === 0 && (await count(world.db, 'delivery_handoffs')) === 0,
      60_000,
    );
    expect(await count(world.db, 'events')).toBe(20_000);
    expect(await count(world.db, 'deliveries')).toBe(20_000);
    const processedBy = async (s: typeof a) =>
      (await s.registry.getSingleMetricAsString('triggers_events_processed_total')).match(/ (\d+)$/m)![1];
    const [na, nb] = [Number(await processedBy(a)), Number(await processedBy(b))];
    expect(na + nb).toBe(20_000);
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    expect((await queuedDeliveryIds(world.jobsQueue())).size).toBe(20_000);
  }, 90_000);
});
