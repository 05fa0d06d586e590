import { requeueStaleHandoffs, type Sql } from '@triggers/db';
import { handOffDeliveries, type DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import type { ProcessorMetrics } from './metrics.js';

const HANDOFFS_PER_TRANSACTION = 20;

/**
 * Re-adds the jobs of deliveries that were committed but never confirmed in BullMQ (the processor
 * died between commit and addBulk, or Redis was down). Each hand-off is re-added while its row stays
 * locked, and deleted once its jobs are in (see `requeueStaleHandoffs`). Re-adding jobs whose first
 * add did land is harmless: a hand-off's deliveries make the same jobs under the same ids (see
 * `handOffDeliveries`).
 */
export async function sweepStaleHandoffs(
  sql: Sql,
  queue: DeliveryQueue,
  graceSeconds: number,
  deliveriesPerJob: number,
  metrics: ProcessorMetrics,
  log: Logger,
): Promise<number> {
  let total = 0;
  for (;;) {
    const swept = await requeueStaleHandoffs(sql, graceSeconds, HANDOFFS_PER_TRANSACTION, (deliveries) =>
      handOffDeliveries(queue, deliveries, { perJob: deliveriesPerJob }),
    );
    if (swept.handoffs === 0) break;
    total += swept.deliveries;
  }
  if (total > 0) {
    metrics.sweeperReenqueued.inc(total);
    log.warn({ deliveries: total }, 'sweeper re-added delivery jobs whose hand-off was lost');
  }
  return total;
}
