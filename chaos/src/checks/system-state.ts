import type { Queue } from 'bullmq';
import type { Sql } from 'postgres';
import type { DeliveryQueueData } from '@triggers/delivery-queue';
import { PIPELINE_SERVICES } from '@triggers/service-launcher';
import type { Cluster } from '../cluster/cluster.js';
import type { ServiceName } from '../cluster/service-process.js';

/** What is still moving through the system; all zeros (and every service ready) is quiescent. */
export interface SystemState {
  /** Rows in event_queue: accepted, not yet processed. */
  queued: number;
  /** Hand-offs to BullMQ not yet confirmed. */
  handoffs: number;
  /** Deliveries pending or failed (retries remaining). */
  unfinished: number;
  /** Deliveries whose attempts ran out. */
  dead: number;
  /** BullMQ jobs waiting, active, delayed or prioritized; undefined when Redis does not answer. */
  jobs: number | undefined;
  /** Services not answering 200 on /readyz, with what they answered. */
  notReady: ServiceName[];
  notReadyDetails: string[];
}

/** One look at Postgres, BullMQ and the services; throws when Postgres does not answer. */
export async function readSystemState(
  sql: Sql,
  queue: Queue<DeliveryQueueData>,
  cluster: Cluster,
): Promise<SystemState> {
  const [row] = await sql<{ queued: number; handoffs: number; unfinished: number; dead: number }[]>`
    SELECT (SELECT count(*) FROM event_queue)::int AS queued,
           (SELECT count(*) FROM delivery_handoffs)::int AS handoffs,
           (SELECT count(*) FROM deliveries WHERE status IN ('pending', 'failed'))::int AS unfinished,
           (SELECT count(*) FROM deliveries WHERE status = 'dead')::int AS dead`;
  const jobs = await queue
    .getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')
    .then((counts) => Object.values(counts).reduce((sum, n) => sum + n, 0))
    .catch(() => undefined);
  const ready = await Promise.all(PIPELINE_SERVICES.map((name) => cluster.services[name].isReady()));
  return {
    queued: row!.queued,
    handoffs: row!.handoffs,
    unfinished: row!.unfinished,
    dead: row!.dead,
    jobs,
    notReady: PIPELINE_SERVICES.filter((_, i) => !ready[i]),
    notReadyDetails: PIPELINE_SERVICES.filter((_, i) => !ready[i]).map(
      (name) => `${name}: ${cluster.services[name].lastReadiness}`,
    ),
  };
}

export function isQuiescent(state: SystemState): boolean {
  return (
    state.queued === 0 &&
    state.handoffs === 0 &&
    state.unfinished === 0 &&
    state.jobs === 0 &&
    state.notReady.length === 0
  );
}

export function describeState(state: SystemState | undefined): string {
  if (!state) return 'Postgres did not answer';
  return [
    `queued ${state.queued}`,
    `hand-offs ${state.handoffs}`,
    `unfinished deliveries ${state.unfinished}`,
    `dead ${state.dead}`,
    `jobs ${state.jobs ?? 'unknown (Redis?)'}`,
    `not ready: ${state.notReadyDetails.join('; ') || 'none'}`,
  ].join(', ');
}
