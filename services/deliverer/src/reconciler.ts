import type { Redis } from 'ioredis';
import { findStalledDeliveries, touchDeliveries, type Sql } from '@triggers/db';
import { deliveriesWithoutJob, queueDeliveryRuns, type DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import type { DelivererMetrics } from './metrics.js';

const CANDIDATES_PER_RUN = 500;

/**
 * Re-queues unfinished deliveries whose job is gone from BullMQ, the last line of defence for
 * at-least-once delivery: a Redis that lost its data (restarted without persistence, failed over)
 * takes waiting and delayed jobs with it, while Postgres still says "pending". A delivery whose job
 * still exists (waiting behind an open circuit, say) is left alone.
 */
export async function requeueOrphanedDeliveries(
  sql: Sql,
  queue: DeliveryQueue,
  redis: Redis,
  afterSeconds: number,
  metrics: DelivererMetrics,
  log: Logger,
): Promise<number> {
  const candidates = await findStalledDeliveries(sql, afterSeconds, CANDIDATES_PER_RUN);
  const orphans = await deliveriesWithoutJob(queue, redis, candidates);
  // A job that finished between the reads looks missing too; its re-added job finds the
  // delivery settled and is skipped by the deliverer, so that costs one lookup, not a send.
  if (orphans.length === 0) return 0;
  await queueDeliveryRuns(queue, orphans);
  // So that the next run does not pick them again while their new job waits.
  await touchDeliveries(
    sql,
    orphans.map((o) => o.id),
  );
  metrics.reconciled.inc(orphans.length);
  log.warn({ deliveries: orphans.length }, 're-queued deliveries whose job was missing');
  return orphans.length;
}
