import { Counter, Histogram, LATENCY_BUCKETS, counterAtZero, type Registry } from '@triggers/runtime';

/** Every metric the ingest API exposes; names are part of the operations contract (dashboards, alerts). */
export function createIngestMetrics(registry: Registry) {
  return {
    httpDuration: new Histogram({
      name: 'triggers_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    eventsAccepted: new Counter({
      name: 'triggers_events_accepted_total',
      help: 'Events committed to the queue and answered 202',
      registers: [registry],
    }),
    eventsDuplicate: new Counter({
      name: 'triggers_events_duplicate_total',
      help: 'Events recognised at ingest as duplicates of a queued or stored event (answered 200)',
      registers: [registry],
    }),
    eventsRejected: counterAtZero({
      name: 'triggers_events_rejected_total',
      help: 'Events refused, by reason (the problem code)',
      labelValues: { reason: ['validation_failed', 'unstorable', 'service_unavailable'] },
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'triggers_rate_limited_requests_total',
      help: 'Requests refused with 429 by the per-organization rate limit',
      registers: [registry],
    }),
    groupCommitRows: new Histogram({
      name: 'triggers_group_commit_batch_rows',
      help: 'Rows written per group-commit INSERT',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
      registers: [registry],
    }),
    groupCommitDuration: new Histogram({
      name: 'triggers_group_commit_duration_seconds',
      help: 'Duration of one group-commit INSERT and commit',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    groupCommitFailures: counterAtZero({
      name: 'triggers_group_commit_failures_total',
      help: 'Group-commit failures, by kind (unavailable: an INSERT failed, Postgres unreachable or timed out; data: a request whose rows Postgres refused, failed alone)',
      labelValues: { kind: ['unavailable', 'data'] },
      registers: [registry],
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
