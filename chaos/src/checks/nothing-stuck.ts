import type { Queue } from 'bullmq';
import type { Sql } from 'postgres';
import { queuedDeliveryIds, type DeliveryQueueData } from '@triggers/delivery-queue';
import type { SystemState } from './system-state.js';

export interface StuckCheck {
  /** Work left once the system should have settled: queue rows, hand-offs, unfinished deliveries. */
  stuck: number;
  /** Unfinished deliveries with no BullMQ job: nothing would ever send them (checked up to 500). */
  withoutJob: number;
  /** Deliveries that ran out of attempts. */
  dead: number;
}

/** Nothing may be left behind: every queue drained, no delivery pending without a job, none dead. */
export async function checkNothingStuck(
  sql: Sql,
  queue: Queue<DeliveryQueueData>,
  state: SystemState | undefined,
): Promise<StuckCheck> {
  if (!state) return { stuck: Number.NaN, withoutJob: Number.NaN, dead: Number.NaN };
  let withoutJob = 0;
  if (state.unfinished > 0) {
    const unfinished = await sql<{ id: string }[]>`
      SELECT id FROM deliveries WHERE status IN ('pending', 'failed') ORDER BY updated_at LIMIT 500`;
    const inJobs = await queuedDeliveryIds(queue).catch(() => new Set<string>());
    for (const { id } of unfinished) {
      if (inJobs.has(id)) continue;
      const job = await queue.getJob(id).catch(() => null);
      if (!job) withoutJob += 1;
    }
  }
  return { stuck: state.queued + state.handoffs + state.unfinished, withoutJob, dead: state.dead };
}
