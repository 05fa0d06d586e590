import type { CircuitBreaker } from '@triggers/circuit-breaker';
import type { DeliveryQueue } from '@triggers/delivery-queue';
import { countDeadDeliveries, type Sql } from '@triggers/db';
import { Counter, Gauge, Histogram, LATENCY_BUCKETS, type Registry } from '@triggers/runtime';

/** Every metric the deliverer exposes; names are part of the operations contract (dashboards, alerts). */
export function createDelivererMetrics(
  registry: Registry,
  sql: Sql,
  queue: DeliveryQueue,
  breaker: CircuitBreaker,
) {
  const registers = [registry];
  return {
    deliveries: new Counter({
      name: 'triggers_deliveries_total',
      help: 'Delivery attempts by outcome: delivered, retry (failed, will retry), dead (attempts exhausted), disabled (endpoint disabled)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    attemptDuration: new Histogram({
      name: 'triggers_delivery_attempt_duration_seconds',
      help: 'Duration of one webhook request, by result class (2xx, 4xx, 5xx, timeout, network, ...)',
      labelNames: ['result'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    retries: new Counter({
      name: 'triggers_delivery_retries_total',
      help: 'Failed attempts scheduled for a retry',
      registers,
    }),
    circuitDeferrals: new Counter({
      name: 'triggers_delivery_circuit_deferrals_total',
      help: 'Deliveries postponed without spending an attempt because their endpoint circuit was open or its slots full',
      labelNames: ['reason'] as const,
      registers,
    }),
    circuitOpened: new Counter({
      name: 'triggers_circuit_opened_total',
      help: 'Failures that opened (or re-opened) an endpoint circuit',
      registers,
    }),
    endpointsDisabled: new Counter({
      name: 'triggers_endpoints_disabled_total',
      help: 'Endpoints disabled by the deliverer, by reason (gone: 410, failing: failing too long)',
      labelNames: ['reason'] as const,
      registers,
    }),
    endToEnd: new Histogram({
      name: 'triggers_end_to_end_latency_seconds',
      help: 'From acceptance by the ingest API to a successful delivery',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
      registers,
    }),
    deadDeliveries: new Gauge({
      name: 'triggers_dead_deliveries',
      help: 'Deliveries in the dead letter queue (status dead)',
      registers,
      async collect() {
        this.set(await countDeadDeliveries(sql));
      },
    }),
    queueJobs: new Gauge({
      name: 'triggers_delivery_queue_jobs',
      help: 'BullMQ delivery jobs by state (waiting, active, delayed, failed)',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    }),
    circuits: new Gauge({
      name: 'triggers_circuits',
      help: 'Endpoint circuits that are not closed, by state (open: cooling down; half_open: awaiting a probe)',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const { open, halfOpen } = await breaker.countOpen();
        this.set({ state: 'open' }, open);
        this.set({ state: 'half_open' }, halfOpen);
      },
    }),
    reconciled: new Counter({
      name: 'triggers_reconciler_requeued_total',
      help: 'Unfinished deliveries re-queued because their job was missing from BullMQ',
      registers,
    }),
  };
}

export type DelivererMetrics = ReturnType<typeof createDelivererMetrics>;
