import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryJobData, DeliveryQueueData } from '@triggers/delivery-queue';
import { withTimeout } from '@triggers/runtime';

/** The producer side of the delivery queue, as the API uses it (replays and test events). */
export type DeliveryQueue = Queue<DeliveryQueueData>;

/** How long the API waits for Redis to take jobs before it answers 503. */
const ADD_TIMEOUT_MS = 3000;

/**
 * Adds jobs, failing within ADD_TIMEOUT_MS when Redis does not answer (the connection does not
 * queue commands while Redis is down, but a half-open socket would otherwise hold the request).
 */
export async function addJobsInTime(
  queue: DeliveryQueue,
  jobs: { name: string; data: DeliveryJobData; opts: { jobId: string } }[],
): Promise<void> {
  await withTimeout(queue.addBulk(jobs), ADD_TIMEOUT_MS, 'adding to the delivery queue');
}

/**
 * Closes the queue, then its connection (which the queue shares, so that it can be dropped even
 * while Redis is down: BullMQ's own close would wait for Redis to come back).
 */
export async function closeDeliveryQueue(queue: DeliveryQueue, connection: Redis): Promise<void> {
  await queue.close().catch(() => undefined);
  connection.disconnect();
}
