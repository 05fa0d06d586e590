import { claimStaleHandoffs, deleteHandoffs, type Sql } from '@triggers/db';
import { handOffDeliveries, type DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';
import type { ProcessorMetrics } from './metrics.js';

const HANDOFFS_PER_TRANSACTION = 20;

/**
 * Re-adds the jobs of deliveries that were committed but never confirmed in BullMQ (the processor
 * died between commit and addBulk, or Redis was down). The hand-off rows stay locked while their
 * jobs are added and are deleted in the same transaction, so two sweepers never add the same
 * batch, and a failure leaves them for the next run. Re-adding jobs whose first add did land is
 * harmless: a hand-off's deliveries make the same jobs under the same ids (see `handOffDeliveries`).
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
    const swept = await sql.begin(async (trx) => {
      const { handoffIds, handoffs } = await claimStaleHandoffs(trx, graceSeconds, HANDOFFS_PER_TRANSACTION);
      if (handoffIds.length === 0) return undefined;
      let deliveries = 0;
      for (const handoff of handoffs) {
        await handOffDeliveries(queue, handoff, { perJob: deliveriesPerJob });
        deliveries += handoff.length;
      }
      await deleteHandoffs(trx, handoffIds);
      return deliveries;
    });
    if (swept === undefined) break;
    total += swept;
  }
  if (total > 0) {
    metrics.sweeperReenqueued.inc(total);
    log.warn({ deliveries: total }, 'sweeper re-added delivery jobs whose hand-off was lost');
  }
  return total;
}
