import type { Kysely } from 'kysely';
import {
  countReplayableDeliveries,
  hasReplayableDeliveries,
  resetDeliveryChunkForReplay,
  resetDeliveryForReplay,
  restoreReplayedDeliveries,
  type Database,
  type KeysetPosition,
  type ReplayedDelivery,
  type ReplayFilter,
} from '@triggers/db';
import { REQUEST_ADD_TIMEOUT_MS, queueDeliveryRuns, type DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import { errors } from '../http/api-error.js';

/** The most deliveries one bulk replay call resets (one transaction, one `addBulk`). */
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
    // run, is skipped by the deliverer. See queueDeliveryRuns in @triggers/delivery-queue.
    await queueDeliveryRuns(deps.deliveryQueue, deliveries, { timeoutMs: REQUEST_ADD_TIMEOUT_MS });
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

/** What one bulk replay call did, and where the next one starts. */
export interface ReplayChunk {
  replayed: number;
  /** The position after which the next call continues; undefined when nothing matches any more. */
  next: KeysetPosition | undefined;
}

/**
 * Replays the next chunk (at most `limit`, oldest first) of the deliveries matching `filter` after
 * `after`. One chunk per call, and no state kept on the server: a bulk replay is followed by its
 * cursor, call after call, so an API restart between two calls loses nothing, and each call is
 * bounded in time and in what it spends of the organization's budget. (Svix runs its recovery as a
 * background task the client polls; that needs a task table and a runner that resumes after a
 * crash, where a cursor needs neither.) The chunk is committed before its jobs are queued, so the
 * deliverer never sees a job whose reset is not yet visible; a chunk whose jobs cannot be queued
 * is restored and answered 503 (the same call can then be repeated).
 */
export async function replayDeliveryChunk(
  deps: ReplayDeps,
  organizationId: string,
  filter: ReplayFilter,
  after: KeysetPosition | undefined,
  limit: number,
): Promise<ReplayChunk> {
  const chunk = await resetDeliveryChunkForReplay(deps.db, organizationId, filter, after, limit);
  if (chunk.deliveries.length === 0 || !chunk.last) return { replayed: 0, next: undefined };
  await queueOrRestore(deps, chunk.deliveries, 'The delivery queue is unavailable; nothing was replayed.');
  // Walking by (created_at, id) visits each delivery once: one replayed and delivered again while
  // the client follows the cursor is not replayed twice.
  const more = await hasReplayableDeliveries(deps.db, organizationId, filter, chunk.last);
  return { replayed: chunk.deliveries.length, next: more ? chunk.last : undefined };
}

/** The dry run: how many deliveries the bulk replay would replay now, from `after` on. */
export function countReplayable(
  deps: ReplayDeps,
  organizationId: string,
  filter: ReplayFilter,
  after: KeysetPosition | undefined,
): Promise<number> {
  return countReplayableDeliveries(deps.db, organizationId, filter, after);
}
