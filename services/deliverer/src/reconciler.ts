import type { Queue } from 'bullmq';
import { findStalledDeliveries, type Sql } from '@triggers/db';
import { deliveryJobs, type DeliveryJobData } from '@triggers/delivery-queue';
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
  queue: Queue<DeliveryJobData>,
  afterSeconds: number,
  metrics: DelivererMetrics,
  log: Logger,
): Promise<number> {
  const candidates = await findStalledDeliveries(sql, afterSeconds, CANDIDATES_PER_RUN);
  const orphans = [];
  for (const delivery of candidates) {
    if (!(await queue.getJob(delivery.id))) orphans.push(delivery);
  }
  if (orphans.length === 0) return 0;
  await queue.addBulk(deliveryJobs(orphans));
  // Touch them so that the next run does not pick them again while their new job waits.
  await sql`UPDATE deliveries SET updated_at = now() WHERE id = ANY(${orphans.map((o) => o.id)}::uuid[])`;
  metrics.reconciled.inc(orphans.length);
  log.warn({ deliveries: orphans.length }, 're-queued deliveries whose job was missing');
  return orphans.length;
}
