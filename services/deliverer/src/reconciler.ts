import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { findStalledDeliveries, type Sql } from '@triggers/db';
import {
  deliveryJobId,
  deliveryJobs,
  queuedDeliveryIds,
  type DeliveryQueueData,
} from '@triggers/delivery-queue';
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
  queue: Queue<DeliveryQueueData>,
  redis: Redis,
  afterSeconds: number,
  metrics: DelivererMetrics,
  log: Logger,
): Promise<number> {
  const candidates = await findStalledDeliveries(sql, afterSeconds, CANDIDATES_PER_RUN);
  if (candidates.length === 0) return 0;
  const exists = await jobsExist(
    redis,
    // The job of the delivery's current run: an earlier run's job would not send it.
    candidates.map((c) => queue.toKey(deliveryJobId(c.id, c.replays))),
  );
  let orphans = candidates.filter((_, i) => !exists[i]);
  // A first run may travel in a batch job, named after another delivery.
  if (orphans.some((c) => c.replays === 0)) {
    const queued = await queuedDeliveryIds(queue);
    orphans = orphans.filter((c) => c.replays !== 0 || !queued.has(c.id));
  }
  // A job that finished between the reads looks missing too; its re-added job finds the
  // delivery settled and is skipped by the deliverer, so that costs one lookup, not a send.
  if (orphans.length === 0) return 0;
  await queue.addBulk(deliveryJobs(orphans));
  await touchDeliveries(
    sql,
    orphans.map((o) => o.id),
  );
  metrics.reconciled.inc(orphans.length);
  log.warn({ deliveries: orphans.length }, 're-queued deliveries whose job was missing');
  return orphans.length;
}

/** Whether each job (its hash, in any state) still exists, all in one pipelined round trip. */
async function jobsExist(redis: Redis, jobKeys: readonly string[]): Promise<boolean[]> {
  const pipeline = redis.pipeline();
  for (const key of jobKeys) pipeline.exists(key);
  const results = (await pipeline.exec()) ?? [];
  return jobKeys.map((_, i) => {
    const [err, count] = results[i] ?? [new Error('no reply'), 0];
    if (err) throw err;
    return count === 1;
  });
}

/**
 * Touches re-queued deliveries so that the next run does not pick them again while their new job
 * waits. Rows another transaction holds (a deliverer recording an attempt) are skipped rather than
 * waited for: that transaction updates them anyway, and waiting could deadlock with it.
 */
async function touchDeliveries(sql: Sql, ids: readonly string[]): Promise<void> {
  await sql`
    UPDATE deliveries SET updated_at = now()
    WHERE id IN (
      SELECT id FROM deliveries WHERE id = ANY(${ids as string[]}::uuid[])
      ORDER BY id FOR UPDATE SKIP LOCKED
    )`;
}
