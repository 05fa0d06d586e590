import {
  Queue,
  Worker,
  type ConnectionOptions,
  type JobsOptions,
  type Processor,
  type WorkerOptions,
} from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeliveryQueueData } from './delivery-jobs.js';

/** The BullMQ queue between the processor (producer) and the deliverer (consumer). */
export const DELIVERY_QUEUE_NAME = 'deliveries';

/** The producer side of the delivery queue (the processor, the API's replays and test sends, the reconciler). */
export type DeliveryQueue = Queue<DeliveryQueueData>;

/** BullMQ's key prefix under a deployment's Redis prefix (`triggers:` → `triggers:bull:deliveries:…`). */
export function bullPrefix(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}bull`;
}

/**
 * Finished jobs are dropped from Redis: Postgres keeps the delivery's history. BullMQ's own attempts
 * only cover infrastructure failures (Postgres or Redis down mid-job): webhook retries reschedule
 * the job without spending them.
 */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: true,
  attempts: 20,
  backoff: { type: 'exponential', delay: 1000 },
};

/** The producer side of the delivery queue. */
export function createDeliveryQueue(connection: ConnectionOptions, redisKeyPrefix: string): DeliveryQueue {
  return new Queue<DeliveryQueueData>(DELIVERY_QUEUE_NAME, {
    connection,
    prefix: bullPrefix(redisKeyPrefix),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

/**
 * Closes a queue made over a connection of its own, then that connection, so that it can be
 * dropped even while Redis is down: BullMQ's own close would wait for Redis to come back.
 */
export async function closeDeliveryQueue(queue: DeliveryQueue, connection: Redis): Promise<void> {
  await queue.close().catch(() => undefined);
  connection.disconnect();
}

/** The consumer side of the delivery queue: a BullMQ worker on the deployment's queue. */
export function createDeliveryWorker(
  redisKeyPrefix: string,
  processor: Processor<DeliveryQueueData>,
  options: Omit<WorkerOptions, 'prefix'>,
): Worker<DeliveryQueueData> {
  return new Worker<DeliveryQueueData>(DELIVERY_QUEUE_NAME, processor, {
    ...options,
    prefix: bullPrefix(redisKeyPrefix),
  });
}
