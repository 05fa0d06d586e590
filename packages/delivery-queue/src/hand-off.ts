import { withTimeout } from '@triggers/runtime';
import {
  DEFAULT_DELIVERIES_PER_JOB,
  deliveryBatchJobs,
  deliveryJobData,
  deliveryJobId,
  deliveryJobs,
  type DeliveryJob,
  type QueuedDelivery,
} from './delivery-jobs.js';
import type { DeliveryQueue } from './delivery-queue.js';

/**
 * How long a producer answering an HTTP request (a replay, a test send) waits for Redis to take its
 * jobs before it gives up: the connection does not queue commands while Redis is down, but a
 * half-open socket would otherwise hold the request.
 */
export const REQUEST_ADD_TIMEOUT_MS = 3000;

export interface AddJobsOptions {
  /** Rejects (code ETIMEDOUT) when Redis has not taken the jobs by then; unbounded when absent. */
  timeoutMs?: number;
}

/**
 * The hand-off: queues the first runs of deliveries created together, whose hand-off row in
 * Postgres is deleted once this resolves. The processor hands off each batch with it, the sweeper
 * re-adds a hand-off whose confirmation was lost with it, and a test send hands off its one
 * delivery with it. Each endpoint's deliveries travel in jobs of up to `perJob`
 * (`deliveryBatchJobs`), and the same deliveries always make the same jobs under the same ids, so a
 * re-add of jobs that did land adds nothing.
 */
export async function handOffDeliveries(
  queue: DeliveryQueue,
  deliveries: readonly QueuedDelivery[],
  options: AddJobsOptions & { perJob?: number } = {},
): Promise<void> {
  await addJobs(queue, deliveryBatchJobs(deliveries, options.perJob ?? DEFAULT_DELIVERIES_PER_JOB), options);
}

/**
 * Queues each delivery's current run in a job of its own, under the run's id (`deliveryJobId`):
 * a replay's new runs, and the reconciler's re-queue of runs whose job was lost.
 *
 * Why a replay does not go through `handOffDeliveries`: a batch job is named after its first
 * delivery (`<id>-batch`), not after a run, and BullMQ adds nothing under an id that still exists.
 * A replay made while an earlier run's job is finishing would then add nothing, and the delivery
 * would wait for the reconciler; under its run's id a replay's job is always added. And a replay
 * has no hand-off row for the sweeper to fall back on: the sweeper makes first runs, so when Redis
 * does not take a replay's jobs the API puts the deliveries back as they were and answers 503.
 */
export async function queueDeliveryRuns(
  queue: DeliveryQueue,
  deliveries: readonly QueuedDelivery[],
  options: AddJobsOptions = {},
): Promise<void> {
  await addJobs(queue, deliveryJobs(deliveries), options);
}

/**
 * Puts one delivery of a batch job back in line for `at` (epoch ms) in a job of its own, under its
 * run's id: a retry, or a turn postponed by an open circuit or a busy endpoint. A job that already
 * exists under that id is left as it is.
 */
export async function deferDeliveryRun(
  queue: DeliveryQueue,
  delivery: QueuedDelivery,
  at: number,
): Promise<void> {
  await queue.add('deliver', deliveryJobData(delivery), {
    jobId: deliveryJobId(delivery.id, delivery.replays),
    delay: Math.max(0, at - Date.now()),
  });
}

async function addJobs(queue: DeliveryQueue, jobs: DeliveryJob[], options: AddJobsOptions): Promise<void> {
  const adding = queue.addBulk(jobs);
  await (options.timeoutMs === undefined
    ? adding
    : withTimeout(adding, options.timeoutMs, 'adding to the delivery queue'));
}
