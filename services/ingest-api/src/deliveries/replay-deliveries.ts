import type { Kysely } from 'kysely';
import {
  countReplayableDeliveries,
  resetDeliveryChunkForReplay,
  resetDeliveryForReplay,
  restoreReplayedDeliveries,
  type Database,
  type KeysetPosition,
  type ReplayedDelivery,
  type ReplayFilter,
} from '@triggers/db';
import { deliveryJobs } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import { errors } from '../http/api-error.js';
import { addJobsInTime, type DeliveryQueue } from './delivery-queue.js';

export const REPLAY_CHUNK = 1000;

export interface ReplayDeps {
  db: Kysely<Database>;
  deliveryQueue: DeliveryQueue;
  log: Logger;
}

/**
 * Queues the jobs of deliveries just reset. When Redis does not take them, the deliveries are put
 * back as they were (nothing would ever send them otherwise) and the caller gets 503.
 */
async function queueOrRestore(
  deps: ReplayDeps,
  deliveries: ReplayedDelivery[],
  detail: string,
): Promise<void> {
  try {
    // Each replay's job has an id of its own (the delivery id and the replay's number), so it is added
    // even while the previous run's job is still finishing; that job, and any other of an earlier
    // run, is skipped by the deliverer. See deliveryJobId in @triggers/delivery-queue.
    await addJobsInTime(deps.deliveryQueue, deliveryJobs(deliveries));
  } catch (err) {
    deps.log.warn({ err, deliveries: deliveries.length }, 'replay jobs not queued; deliveries restored');
    await restoreReplayedDeliveries(deps.db, deliveries);
    throw errors.unavailable(5, detail);
  }
}

/** Replays one finished delivery: 404 when not the caller's, 409 when it is still scheduled. */
export async function replayDelivery(deps: ReplayDeps, organizationId: string, id: string): Promise<void> {
  const result = await resetDeliveryForReplay(deps.db, organizationId, id);
  if (result.outcome === 'not_found') throw errors.notFound('delivery');
  if (result.outcome === 'not_replayable') {
    throw errors.conflict(
      'replay_conflict',
      `The delivery is ${result.status}: it is already scheduled. Only dead or delivered deliveries can be replayed.`,
      { delivery_status: result.status },
    );
  }
  await queueOrRestore(deps, [result.previous], 'The delivery queue is unavailable; nothing was replayed.');
}

/**
 * Replays every delivery matching `filter`, 1,000 per transaction, and returns how many. Each
 * chunk is committed before its jobs are queued, so the deliverer never sees a job whose reset is
 * not yet visible; a chunk whose jobs cannot be queued is restored and ends the run with 503.
 */
export async function replayDeliveries(
  deps: ReplayDeps,
  organizationId: string,
  filter: ReplayFilter,
): Promise<number> {
  let replayed = 0;
  let after: KeysetPosition | undefined;
  for (;;) {
    const chunk = await resetDeliveryChunkForReplay(deps.db, organizationId, filter, after, REPLAY_CHUNK);
    if (chunk.deliveries.length === 0) return replayed;
    await queueOrRestore(
      deps,
      chunk.deliveries,
      `The delivery queue is unavailable; ${replayed} deliveries were replayed before it failed.`,
    );
    replayed += chunk.deliveries.length;
    after = chunk.last;
  }
}

/** The dry run: how many deliveries `replayDeliveries` would replay now. */
export function countReplayable(
  deps: ReplayDeps,
  organizationId: string,
  filter: ReplayFilter,
): Promise<number> {
  return countReplayableDeliveries(deps.db, organizationId, filter);
}
