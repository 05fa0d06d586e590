// Risk: a delivery committed in Postgres never reaches BullMQ (invariant 4: at-least-once delivery).
import { processQueuedBatch } from '@triggers/db';
import { createLogger } from '@triggers/runtime';
import { queueRow, startThrowawayRedis } from '@triggers/testing';
import { createProcessorMetrics } from '../src/metrics.js';
import { sweepStaleHandoffs } from '../src/sweeper.js';
import { DEFAULT_DELIVERIES_PER_JOB, createDeliveryQueue, queuedDeliveryIds } from '@triggers/delivery-queue';
import { Registry } from '@triggers/runtime';
import {
  count,
  createEndpoint,
  createOrganization,
  createTestWorld,
  enqueueEvents,
  waitFor,
  type TestWorld,
} from './test-processor.js';

const silent = createLogger({ service: 'test', level: 'silent' });

describe('the sweeper', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await createTestWorld();
  });
  afterEach(() => world.close());

  it('re-adds the jobs of a batch whose processor died between commit and addBulk, once the grace period passed', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    await enqueueEvents(
      world.db,
      Array.from({ length: 30 }, () => queueRow(org)),
    );
    const batch = await processQueuedBatch(world.db.sql, 100); // committed; the "crash" comes before addBulk
    const queue = createDeliveryQueue({ url: world.redisUrl }, world.redisPrefix);
    const metrics = createProcessorMetrics(new Registry(), world.db.sql);
    try {
      expect(
        await sweepStaleHandoffs(world.db.sql, queue, 3600, DEFAULT_DELIVERIES_PER_JOB, metrics, silent),
      ).toBe(0); // still within grace
      expect(await queuedDeliveryIds(world.jobsQueue())).toEqual(new Set());

      expect(
        await sweepStaleHandoffs(world.db.sql, queue, 0, DEFAULT_DELIVERIES_PER_JOB, metrics, silent),
      ).toBe(30);
      expect(await queuedDeliveryIds(world.jobsQueue())).toEqual(new Set(batch.deliveries.map((d) => d.id)));
      expect(await count(world.db, 'delivery_handoffs')).toBe(0);
      expect((await metrics.sweeperReenqueued.get()).values[0]!.value).toBe(30);
      // Running again finds nothing: a hand-off is swept once.
      expect(
        await sweepStaleHandoffs(world.db.sql, queue, 0, DEFAULT_DELIVERIES_PER_JOB, metrics, silent),
      ).toBe(0);
    } finally {
      await queue.close();
    }
  });
});

describe('the processor with Redis down', () => {
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  let world: TestWorld;
  beforeEach(async () => {
    redis = await startThrowawayRedis();
    world = await createTestWorld({ redisUrl: redis.url });
  });
  afterEach(async () => {
    await world.close();
    await redis.destroy();
  });

  it('keeps storing events while Redis is down and hands over every delivery once it is back', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    await world.startProcessor({ BATCH_SIZE: '100', SWEEP_INTERVAL_MS: '200', SWEEP_GRACE_SECONDS: '1' });
    await enqueueEvents(
      world.db,
      Array.from({ length: 200 }, () => queueRow(org)),
    );
    // Every job of these 200 in Redis, then every hand-off confirmed. (Counting the queue and the
    // hand-offs in two reads raced: a batch committed between them was seen in neither, its addBulk
    // then failed with the kill, and the sweeper re-added its jobs after the restart.)
    await waitFor(async () => (await queuedDeliveryIds(world.jobsQueue())).size === 200);
    await waitFor(async () => (await count(world.db, 'delivery_handoffs')) === 0);

    await redis.kill();
    await enqueueEvents(
      world.db,
      Array.from({ length: 500 }, () => queueRow(org)),
    );
    await waitFor(
      async () => (await count(world.db, 'event_queue')) === 0,
      20_000,
      'queue drained with Redis down',
    );
    expect(await count(world.db, 'events')).toBe(700);
    expect(await count(world.db, 'delivery_handoffs')).toBeGreaterThan(0);

    await redis.start();
    await waitFor(async () => (await count(world.db, 'delivery_handoffs')) === 0, 30_000, 'hand-offs swept');
    const deliveries = await world.db.sql<{ id: string }[]>`SELECT id FROM deliveries`;
    expect(deliveries).toHaveLength(700);
    // The restarted Redis kept nothing (no persistence): what it holds now was re-added by the sweeper.
    const jobs = await queuedDeliveryIds(world.jobsQueue());
    const lostWithRedis = deliveries.filter((d) => !jobs.has(d.id));
    expect(jobs.size).toBe(500);
    expect(lostWithRedis).toHaveLength(200);
  }, 60_000);
});
