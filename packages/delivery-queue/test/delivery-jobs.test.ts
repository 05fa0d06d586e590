// Risk: a replay's job collides with the job of the run before it and is silently not added, or one run gets two jobs.
import { randomUUID } from 'node:crypto';
import { deleteRedisKeys, testRedisUrl, uniqueRedisPrefix } from '@triggers/testing';
import { createDeliveryQueue, deliveryJobId, deliveryJobs } from '../src/index.js';

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
    const mine = jobs.filter((j) => j.data.deliveryId === first.id);
    expect(mine.map((j) => [j.id, j.data.replays]).sort()).toEqual([
      [first.id, 0],
      [`${first.id}-replay-1`, 1],
    ]);
  });
});
