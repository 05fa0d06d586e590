import { UnrecoverableError, type Job } from 'bullmq';
import { isRefusedRowError, isUuid, type DeliveryToSend } from '@triggers/db';
import { deferDeliveryRun, type DeliveryBatchData } from '@triggers/delivery-queue';
import { deliverOne, whyNotSend, type DeliverJobDeps, type JobResult, type Later } from './deliver-job.js';

/**
 * Processes a batch job: the first runs of several deliveries to one endpoint, made by one
 * processor batch (see `deliveryBatchJobs`). They are loaded in one query and sent side by side,
 * each as its own job would be. One that must go on later (a retry, an open circuit, an endpoint
 * that frees no slot) continues in a job of its own, delayed, under its run's job id.
 *
 * When one delivery fails for want of Postgres or Redis, the batch throws once the others are done,
 * and BullMQ runs it again later: the settled ones are skipped then, and one that already has an
 * attempt only has its own job made sure of (adding it is a no-op when it exists), so nothing is
 * sent twice for the batch's sake.
 */
export async function deliverBatch(
  deps: DeliverJobDeps,
  job: Job<DeliveryBatchData>,
  /** Called as each delivery of the batch is done with. */
  done: () => void,
): Promise<JobResult[]> {
  const refs = job.data.deliveries.filter((ref) => {
    if (typeof ref?.deliveryId === 'string' && isUuid(ref.deliveryId)) return true;
    deps.log.warn(
      { deliveryId: ref?.deliveryId, jobId: job.id },
      'batch entry without a delivery id: dropped',
    );
    return false;
  });
  let loaded;
  try {
    loaded = await deps.loader.submit(refs.map((ref) => ref.deliveryId));
  } catch (err) {
    if (isRefusedRowError(err)) throw new UnrecoverableError('the deliveries could not be read');
    throw err;
  }
  shareEndpoint([...loaded.values()]);
  const later: Later = async (delivery, at, reason) => {
    if (reason !== 'retry') deps.metrics.circuitDeferrals.inc({ reason });
    await deferDeliveryRun(
      deps.queue,
      {
        id: delivery.id,
        eventId: delivery.event.id,
        endpointId: delivery.endpoint.id,
        organizationId: delivery.organizationId,
        replays: delivery.replays,
      },
      at,
    );
    return reason === 'retry' ? 'retry' : 'deferred';
  };
  const outcomes = await Promise.allSettled(
    refs.map(async (ref) => {
      try {
        const delivery = loaded.get(ref.deliveryId);
        const unsendable = whyNotSend(delivery, ref.replays ?? 0);
        if (unsendable) return unsendable;
        // Its next attempt belongs to its own job, which an earlier run of this batch added.
        if (delivery!.attempts > 0)
          return await later(delivery!, delivery!.nextAttemptAt?.getTime() ?? Date.now(), 'retry');
        return await deliverOne(deps, delivery!, later);
      } finally {
        done();
      }
    }),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<JobResult>).value);
}

/**
 * The deliveries of a batch go to one endpoint: they share one copy of its settings, so that one
 * that disables the endpoint (a 410, failing too long) stops the others still waiting to send.
 */
function shareEndpoint(deliveries: DeliveryToSend[]): void {
  const byId = new Map<string, DeliveryToSend['endpoint']>();
  for (const delivery of deliveries) {
    const shared = byId.get(delivery.endpoint.id);
    if (shared) delivery.endpoint = shared;
    else byId.set(delivery.endpoint.id, delivery.endpoint);
  }
}
