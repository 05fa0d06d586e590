import { pruneAcknowledgedDeliveredEvents, pruneExpiredEvents, type Sql } from '@triggers/db';
import type { Logger } from '@triggers/runtime';
import type { ProcessorMetrics } from './metrics.js';

export interface RetentionOptions {
  days: number;
  /** 0 keeps acknowledged, delivered events for the full retention. */
  ackedDeliveredHours: number;
  batchSize: number;
}

/** Pause between delete statements, so that retention yields to the hot paths. */
const PAUSE_BETWEEN_BATCHES_MS = 20;

/** Deletes what retention allows, in small statements, until nothing more is due. */
export async function pruneRetainedData(
  sql: Sql,
  options: RetentionOptions,
  metrics: ProcessorMetrics,
  log: Logger,
): Promise<void> {
  const now = Date.now();
  const rules: ['retention' | 'acknowledged_delivered', (limit: number) => Promise<number>][] = [
    ['retention', (limit) => pruneExpiredEvents(sql, new Date(now - options.days * 86_400_000), limit)],
  ];
  if (options.ackedDeliveredHours > 0) {
    const cutoff = new Date(now - options.ackedDeliveredHours * 3_600_000);
    rules.push(['acknowledged_delivered', (limit) => pruneAcknowledgedDeliveredEvents(sql, cutoff, limit)]);
  }
  for (const [rule, prune] of rules) {
    let total = 0;
    for (;;) {
      const deleted = await prune(options.batchSize);
      total += deleted;
      metrics.prunedEvents.inc({ rule }, deleted);
      if (deleted < options.batchSize) break;
      await new Promise((r) => setTimeout(r, PAUSE_BETWEEN_BATCHES_MS));
    }
    if (total > 0) log.info({ rule, events: total }, 'pruned events');
  }
}
