import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

/** The BullMQ queue between the processor (producer) and the deliverer (consumer). */
export const DELIVERY_QUEUE_NAME = 'deliveries';

/** A job names its delivery; the deliverer reads the event and the endpoint's current settings from Postgres. */
export interface DeliveryJobData {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  organizationId: string;
}

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
export function createDeliveryQueue(
  connection: ConnectionOptions,
  redisKeyPrefix: string,
): Queue<DeliveryJobData> {
  return new Queue<DeliveryJobData>(DELIVERY_QUEUE_NAME, {
    connection,
    prefix: bullPrefix(redisKeyPrefix),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
}

/**
 * Jobs for `addBulk`. The job id is the delivery id, so adding the same delivery twice (a sweeper
 * racing a slow processor) while its job exists is a no-op.
 */
export function deliveryJobs(
  deliveries: readonly { id: string; eventId: string; endpointId: string; organizationId: string }[],
) {
  return deliveries.map((d) => ({
    name: 'deliver',
    data: {
      deliveryId: d.id,
      eventId: d.eventId,
      endpointId: d.endpointId,
      organizationId: d.organizationId,
    },
    opts: { jobId: d.id },
  }));
}
