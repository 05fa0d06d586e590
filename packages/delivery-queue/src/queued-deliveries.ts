import type { Redis } from 'ioredis';
import { deliveryIdsOf, deliveryJobId, type QueuedDelivery } from './delivery-jobs.js';
import type { DeliveryQueue } from './delivery-queue.js';

const JOBS_PER_PAGE = 1000;

/**
 * The ids of the deliveries carried by the jobs BullMQ holds (active, waiting, prioritized or
 * delayed), read page by page. A first run may travel in a batch job named after another delivery,
 * so a job looked up by a delivery's id does not find every delivery that has one. Costs a read of
 * the whole queue: for the rare checks that need it (the reconciler, the fault suite).
 */
export async function queuedDeliveryIds(queue: DeliveryQueue): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let start = 0; ; start += JOBS_PER_PAGE) {
    const jobs = await queue.getJobs(
      ['active', 'waiting', 'prioritized', 'delayed'],
      start,
      start + JOBS_PER_PAGE - 1,
    );
    for (const job of jobs) for (const id of deliveryIdsOf(job.data)) ids.add(id);
    if (jobs.length < JOBS_PER_PAGE) return ids;
  }
}

/**
 * The deliveries whose current run has no job in BullMQ, in any state. Each run's own job is
 * looked up in one pipelined round trip on `redis` (a job of an earlier run would not send it);
 * a first run that has none may still travel in a batch job named after another delivery, which
 * only a read of the whole queue finds, so that read is made only when such a run is left.
 */
export async function deliveriesWithoutJob<Delivery extends QueuedDelivery>(
  queue: DeliveryQueue,
  redis: Redis,
  deliveries: readonly Delivery[],
): Promise<Delivery[]> {
  if (deliveries.length === 0) return [];
  const exists = await jobsExist(
    redis,
    deliveries.map((d) => queue.toKey(deliveryJobId(d.id, d.replays))),
  );
  let missing = deliveries.filter((_, i) => !exists[i]);
  if (missing.some((d) => (d.replays ?? 0) === 0)) {
    const queued = await queuedDeliveryIds(queue);
    missing = missing.filter((d) => (d.replays ?? 0) !== 0 || !queued.has(d.id));
  }
  return missing;
}

/** Whether each job (its hash, in any state) still exists, all in one pipelined round trip. */
async function jobsExist(redis: Redis, jobKeys: readonly string[]): Promise<boolean[]> {
  const pipeline = redis.pipeline();
  for (const key of jobKeys) pipeline.exists(key);
  const results = (await pipeline.exec()) ?? [];
  return jobKeys.map((_, i) => {
    const [err, count] = results[i] ?? [new Error('no reply'), 0];
    if (err) throw err;
    return count === 1;
  });
}
