/** A job names its delivery; the deliverer reads the event and the endpoint's current settings from Postgres. */
export interface DeliveryJobData {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  organizationId: string;
  /**
   * The delivery's run this job sends: 0 for the first, n for its n-th replay (the delivery's
   * `replays` counter when the job was made). The deliverer skips a job whose run is not the
   * delivery's current one. Absent in jobs made before replays were counted: 0.
   */
  replays?: number;
}

/**
 * A first run of several deliveries to one endpoint, made together by one processor batch: one
 * BullMQ job carries them all, so BullMQ's cost per job (about 35 Redis commands to add, fetch and
 * complete it) is shared. The deliverer sends each on its own; one that must wait (a retry, an open
 * circuit) goes on in a job of its own, `deliveryJobs`.
 */
export interface DeliveryBatchData {
  deliveries: DeliveryJobData[];
}

/** What a delivery-queue job holds: one delivery's run, or a batch of first runs to one endpoint. */
export type DeliveryQueueData = DeliveryJobData | DeliveryBatchData;

export function isDeliveryBatch(data: DeliveryQueueData): data is DeliveryBatchData {
  return Array.isArray((data as Partial<DeliveryBatchData>).deliveries);
}

/** The ids of the deliveries a job carries. */
export function deliveryIdsOf(data: DeliveryQueueData): string[] {
  return isDeliveryBatch(data) ? data.deliveries.map((d) => d.deliveryId) : [data.deliveryId];
}

/**
 * The BullMQ job id of a delivery's run: the delivery id for its first run, then the delivery id
 * and the replay's number (`…-replay-2`), never with a colon (BullMQ refuses those).
 *
 * Why one id per run: BullMQ's add is a no-op while a job with the same id exists in any state
 * (its addJob script answers "duplicated" and stores nothing). A replay made while the run before
 * it is still finishing (its attempt recorded, its job still active, or failed and waiting for
 * BullMQ's retry) would add nothing under the delivery id, and the finished job would then be
 * removed: the delivery stranded as pending with no job until the reconciler's next look, many
 * minutes later. Under its own id the replay's job is always added.
 *
 * Why an earlier run's job does not go on sending: a replay resets only a settled delivery and
 * increments its `replays` counter in the same statement; the deliverer skips any job whose
 * `replays` is not the delivery's current one when it loads the delivery, and the attempt recorder
 * records an attempt only for the current run. An earlier run's job that is still alive
 * (finishing, retried by BullMQ, or a duplicate re-added by a sweeper or the reconciler) therefore
 * ends without sending if it loads after the replay; one that loaded just before it may send once
 * more (at-least-once), but its attempt is not recorded and its next turn skips it. Within one run
 * the job id stays the same, so the sweeper, the reconciler and a repeated add still collapse into
 * one job.
 */
export function deliveryJobId(deliveryId: string, replays = 0): string {
  return replays === 0 ? deliveryId : `${deliveryId}-replay-${replays}`;
}

/** A job as `addBulk` takes it, under the id that makes adding it again a no-op. */
export interface DeliveryJob<Data extends DeliveryQueueData = DeliveryQueueData> {
  name: string;
  data: Data;
  opts: { jobId: string };
}

/** Jobs for `addBulk`, one per delivery, each under the id of the delivery's current run. */
export function deliveryJobs(deliveries: readonly QueuedDelivery[]): DeliveryJob<DeliveryJobData>[] {
  return deliveries.map((d) => ({
    name: 'deliver',
    data: deliveryJobData(d),
    opts: { jobId: deliveryJobId(d.id, d.replays) },
  }));
}

/**
 * Deliveries to one endpoint per batch job, unless the processor is told otherwise
 * (DELIVERIES_PER_JOB): BullMQ's cost per job is then a fiftieth per delivery under load, and a
 * job still holds few enough to be sent side by side within its endpoint's slots.
 */
export const DEFAULT_DELIVERIES_PER_JOB = 50;

/** A delivery as the processor, the sweeper and the reconciler know it. */
export interface QueuedDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  organizationId: string;
  /** The delivery's `replays` counter; 0 (a first run) when absent. */
  replays?: number;
}

/**
 * Jobs for `addBulk` for the first runs of one hand-off's deliveries: each endpoint's deliveries
 * in jobs of up to `perJob`; a delivery alone in its group gets a single job.
 *
 * The jobs go out in turns across the endpoints (the first job of each, in the order the endpoints
 * first appear, then the second of each...): a deliverer taking the next few jobs then finds
 * several endpoints' deliveries, not all behind one endpoint's in-flight cap.
 *
 * The same deliveries always make the same jobs: each endpoint's deliveries are taken in id order
 * and a job is named after its first (`<id>-batch`). A sweeper re-adding a hand-off whose jobs did
 * land therefore adds nothing, as for single jobs.
 */
export function deliveryBatchJobs(deliveries: readonly QueuedDelivery[], perJob: number): DeliveryJob[] {
  const byEndpoint = new Map<string, QueuedDelivery[]>();
  for (const d of deliveries) {
    const group = byEndpoint.get(d.endpointId);
    if (group) group.push(d);
    else byEndpoint.set(d.endpointId, [d]);
  }
  const chunksByEndpoint = [...byEndpoint.values()].map((group) => {
    group.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const chunks: QueuedDelivery[][] = [];
    for (let start = 0; start < group.length; start += perJob)
      chunks.push(group.slice(start, start + perJob));
    return chunks;
  });
  const jobs: DeliveryJob[] = [];
  const turns = Math.max(0, ...chunksByEndpoint.map((chunks) => chunks.length));
  for (let turn = 0; turn < turns; turn++) {
    for (const chunks of chunksByEndpoint) {
      const chunk = chunks[turn];
      if (!chunk) continue;
      if (chunk.length === 1) {
        jobs.push(...deliveryJobs(chunk));
        continue;
      }
      jobs.push({
        name: 'deliver-batch',
        data: { deliveries: chunk.map(deliveryJobData) },
        opts: { jobId: `${chunk[0]!.id}-batch` },
      });
    }
  }
  return jobs;
}

/** What a job carries of one delivery's run. */
export function deliveryJobData(d: QueuedDelivery): DeliveryJobData {
  return {
    deliveryId: d.id,
    eventId: d.eventId,
    endpointId: d.endpointId,
    organizationId: d.organizationId,
    replays: d.replays ?? 0,
  };
}
