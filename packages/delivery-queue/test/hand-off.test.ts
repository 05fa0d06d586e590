// Risk: a hand-off, a replay or a re-queue adds a job that already exists, or adds none, and a delivery that has a job is taken for one that lost it.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteRedisKeys, testRedisUrl, uniqueRedisPrefix } from '@triggers/testing';
import {
  createDeliveryQueue,
  deferDeliveryRun,
  deliveriesWithoutJob,
  deliveryIdsOf,
  handOffDeliveries,
  queueDeliveryRuns,
  type QueuedDelivery,
} from '../src/index.js';

describe('the delivery queue’s producers', () => {
  const prefix = uniqueRedisPrefix();
  const queue = createDeliveryQueue({ url: testRedisUrl() }, prefix);
  const redis = new Redis(testRedisUrl());
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  const to = (endpointId: string, replays?: number): QueuedDelivery => ({
    id: randomUUID(),
    eventId: randomUUID(),
    endpointId,
    organizationId: randomUUID(),
    ...(replays === undefined ? {} : { replays }),
  });

  /** The ids of the jobs that carry any of `deliveries`, with how many of them each carries. */
  async function jobsOf(deliveries: readonly QueuedDelivery[]) {
    const ids = new Set(deliveries.map((d) => d.id));
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    return jobs
      .filter((job) => deliveryIdsOf(job.data).some((id) => ids.has(id)))
      .map((job) => [job.id, deliveryIdsOf(job.data).length] as const)
      .sort();
  }

  it('hands off deliveries in batch jobs per endpoint, and adds nothing when the same hand-off is made again', async () => {
    const endpoint = randomUUID();
    const deliveries = Array.from({ length: 5 }, () => to(endpoint));
    await handOffDeliveries(queue, deliveries, { perJob: 3 });
    const first = await jobsOf(deliveries);
    expect(first.map(([, carried]) => carried).sort()).toEqual([2, 3]);
    // The sweeper's re-add of a hand-off whose jobs did land.
    await handOffDeliveries(queue, [...deliveries].reverse(), { perJob: 3 });
    expect(await jobsOf(deliveries)).toEqual(first);
  });

  it('hands off a lone delivery (a test send) in a job named after it', async () => {
    const delivery = to(randomUUID());
    await handOffDeliveries(queue, [delivery], { timeoutMs: 3000 });
    expect(await jobsOf([delivery])).toEqual([[delivery.id, 1]]);
  });

  it('queues a replay’s run beside the first run’s job, once however often it is queued', async () => {
    const delivery = to(randomUUID());
    await handOffDeliveries(queue, [delivery]);
    const replay = { ...delivery, replays: 1 };
    await queueDeliveryRuns(queue, [replay]);
    await queueDeliveryRuns(queue, [replay]);
    expect(await jobsOf([delivery])).toEqual([
      [delivery.id, 1],
      [`${delivery.id}-replay-1`, 1],
    ]);
  });

  it('defers a delivery’s run in a delayed job of its own, and leaves one that exists as it is', async () => {
    const delivery = to(randomUUID(), 2);
    await deferDeliveryRun(queue, delivery, Date.now() + 60_000);
    await deferDeliveryRun(queue, delivery, Date.now());
    const job = await queue.getJob(`${delivery.id}-replay-2`);
    expect(await job!.getState()).toBe('delayed');
    expect(job!.data).toEqual({
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      endpointId: delivery.endpointId,
      organizationId: delivery.organizationId,
      replays: 2,
    });
  });

  describe('deliveriesWithoutJob', () => {
    it('finds a first run in a batch job named after another delivery, and a replay only under its run', async () => {
      const endpoint = randomUUID();
      const batched = [to(endpoint), to(endpoint)];
      await handOffDeliveries(queue, batched);
      const replayed = to(randomUUID());
      // The first run's job exists, but a replay is only sent by its own run's job.
      await handOffDeliveries(queue, [replayed]);
      const lost = to(randomUUID());
      const missing = await deliveriesWithoutJob(queue, redis, [
        ...batched,
        { ...replayed, replays: 1 },
        lost,
      ]);
      expect(missing.map((d) => d.id).sort()).toEqual([replayed.id, lost.id].sort());
      expect(await deliveriesWithoutJob(queue, redis, [])).toEqual([]);
    });
  });
});
