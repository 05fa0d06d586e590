import { countQueuedEvents, oldestQueuedAgeSeconds, type Sql } from '@triggers/db';
import { Counter, Gauge, Histogram, LATENCY_BUCKETS, counterAtZero, type Registry } from '@triggers/runtime';

/** Every metric the processor exposes; names are part of the operations contract (dashboards, alerts). */
export function createProcessorMetrics(registry: Registry, sql: Sql) {
  const registers = [registry];
  return {
    queueDepth: new Gauge({
      name: 'triggers_event_queue_depth',
      help: 'Events accepted and waiting in event_queue',
      registers,
      async collect() {
        this.set(await countQueuedEvents(sql));
      },
    }),
    oldestQueuedAge: new Gauge({
      name: 'triggers_event_queue_oldest_age_seconds',
      help: 'Age of the event first in line in event_queue (0 when empty)',
      registers,
      async collect() {
        this.set(await oldestQueuedAgeSeconds(sql));
      },
    }),
    eventsProcessed: new Counter({
      name: 'triggers_events_processed_total',
      help: 'Events moved from the queue into events',
      registers,
    }),
    eventsDeduplicated: new Counter({
      name: 'triggers_events_deduplicated_total',
      help: 'Queued events dropped because the same event was already stored',
      registers,
    }),
    deliveriesCreated: new Counter({
      name: 'triggers_deliveries_created_total',
      help: 'Deliveries created (one per event and matching endpoint)',
      registers,
    }),
    batchSize: new Histogram({
      name: 'triggers_process_batch_size',
      help: 'Queue rows claimed per processing transaction',
      buckets: [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    batchDuration: new Histogram({
      name: 'triggers_process_batch_duration_seconds',
      help: 'Duration of one processing transaction',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    batchFailures: new Counter({
      name: 'triggers_process_batch_failures_total',
      help: 'Processing transactions that failed (rolled back; their events stay queued)',
      registers,
    }),
    jobsEnqueued: new Counter({
      name: 'triggers_delivery_jobs_enqueued_total',
      help: 'Delivery jobs added to BullMQ by the processor',
      registers,
    }),
    handoffFailures: new Counter({
      name: 'triggers_delivery_handoff_failures_total',
      help: 'addBulk calls that failed after commit; the sweeper re-adds their jobs',
      registers,
    }),
    sweeperReenqueued: new Counter({
      name: 'triggers_sweeper_reenqueued_total',
      help: 'Delivery jobs re-added by the sweeper (their first hand-off was lost)',
      registers,
    }),
    prunedEvents: counterAtZero({
      name: 'triggers_pruned_events_total',
      help: 'Events deleted by retention (with their deliveries and attempts), by rule',
      labelValues: { rule: ['retention', 'acknowledged_delivered'] },
      registers,
    }),
  };
}

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>;
