// Risk: a replay's job collides with the job of the run before it and is silently not added, or one run gets two jobs.
import { randomUUID } from 'node:crypto';
import { deleteRedisKeys, testRedisUrl, uniqueRedisPrefix } from '@triggers/testing';
import {
  createDeliveryQueue,
  deliveryBatchJobs,
  deliveryIdsOf,
  deliveryJobId,
  deliveryJobs,
  type DeliveryJobData,
} from '../src/index.js';

describe('deliveryJobs', () => {
  const prefix = uniqueRedisPrefix();
  const queue = createDeliveryQueue({ url: testRedisUrl() }, prefix);
  afterAll(async () => {
    await queue.close();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  const delivery = (replays?: number) => ({
    id: randomUUID(),
    eventId: randomUUID(),
    endpointId: randomUUID(),
    organizationId: randomUUID(),
    ...(replays === undefined ? {} : { replays }),
  });

  it('names a first run by the delivery id and each replay by the delivery id and its number', () => {
    const d = delivery();
    expect(deliveryJobs([d])[0]).toMatchObject({
      opts: { jobId: d.id },
      data: { deliveryId: d.id, replays: 0 },
    });
    expect(deliveryJobs([{ ...d, replays: 2 }])[0]).toMatchObject({
      opts: { jobId: `${d.id}-replay-2` },
      data: { replays: 2 },
    });
    expect(deliveryJobId(d.id, 0)).toBe(d.id);
  });

  it('adds a replay’s job while the previous run’s job still exists, and one job per run however often it is added', async () => {
    const first = delivery();
    await queue.addBulk(deliveryJobs([first]));
    // BullMQ adds nothing under an id that exists: a replay under the delivery id would be lost.
    const replay = { ...first, replays: 1 };
    await queue.addBulk(deliveryJobs([replay]));
    await queue.addBulk(deliveryJobs([replay, first]));
    const jobs = await queue.getJobs(['waiting', 'prioritized']);
    const mine = jobs.filter((j) => (j.data as DeliveryJobData).deliveryId === first.id);
    expect(mine.map((j) => [j.id, (j.data as DeliveryJobData).replays]).sort()).toEqual([
      [first.id, 0],
      [`${first.id}-replay-1`, 1],
    ]);
  });

  describe('deliveryBatchJobs', () => {
    const to = (endpointId: string) => ({ ...delivery(), endpointId });

    it('makes jobs of up to `perJob` deliveries of one endpoint, in turns across endpoints, and one alone a single job', () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const deliveries = [to(a), to(b), to(a), to(a), to(a), to(a)];
      const jobs = deliveryBatchJobs(deliveries, 3);
      // In turns across the endpoints: a's first job, b's, then a's second.
      expect(jobs.map((job) => [job.name, deliveryIdsOf(job.data).length])).toEqual([
        ['deliver-batch', 3],
        ['deliver', 1],
        ['deliver-batch', 2],
      ]);
      expect(jobs.flatMap((job) => deliveryIdsOf(job.data)).sort()).toEqual(
        deliveries.map((d) => d.id).sort(),
      );
      expect(jobs[1]!.opts.jobId).toBe(deliveries[1]!.id);
    });

    it('makes the same jobs under the same ids from the same deliveries in any order', async () => {
      const endpointId = randomUUID();
      const deliveries = Array.from({ length: 7 }, () => to(endpointId));
      const jobs = deliveryBatchJobs(deliveries, 4);
      expect(deliveryBatchJobs([...deliveries].reverse(), 4)).toEqual(jobs);
      // A sweeper's re-add of jobs that did land adds nothing.
      await queue.addBulk(jobs);
      await queue.addBulk(deliveryBatchJobs([...deliveries].reverse(), 4));
      const waiting = await queue.getJobs(['waiting']);
      const mine = waiting.filter((job) =>
        deliveryIdsOf(job.data).some((id) => deliveries.some((d) => d.id === id)),
      );
      expect(mine).toHaveLength(2);
    });
  });
});
