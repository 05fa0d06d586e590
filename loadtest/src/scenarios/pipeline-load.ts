import type postgres from 'postgres';
import { countPipelineRows, countRows, type PipelineCounts } from '../harness/bench-fixtures.js';
import { summarizeLatencies, type LatencySummary } from '../harness/latency.js';
import { runPaced, type PacedResult } from '../harness/paced-load.js';
import { acceptedIdOf, type Pipeline } from '../harness/pipeline.js';
import type { SinkCounts } from '../sinks/receipts.js';
import { waitUntil } from '../harness/wait.js';
import type { Check } from './scenario.js';

/** Events sent at a fixed rate through the ingest API(s), with the instant each accepted one was sent. */
export interface TrackedLoad {
  paced: PacedResult;
  /** Accepted event id → wall-clock ms its request was handed to the client. */
  sentAt: Map<string, number>;
}

export async function sendTracked(
  pipeline: Pipeline,
  nextBody: () => string,
  rate: number,
  durationSeconds: number,
  connections: number,
): Promise<TrackedLoad> {
  const sentAt = new Map<string, number>();
  const paced = await runPaced({
    origin: pipeline.origins,
    path: '/api/events',
    headers: { authorization: `Bearer ${pipeline.apiKey}` },
    nextBody,
    rate,
    durationSeconds,
    connections,
    onAnswer: (status, body, at) => {
      if (status !== 202) return;
      const id = acceptedIdOf(body);
      if (id !== undefined) sentAt.set(id, at);
    },
  });
  return { paced, sentAt };
}

export interface DeliveryOutcome {
  /** Sink receipt − client send, per event of `measured` that arrived (ms). */
  latency: LatencySummary;
  /** Events of `measured` the sink never received. */
  missing: number;
  sink: SinkCounts;
  counts: PipelineCounts;
  /** Seconds from the end of sending until the last event arrived. */
  drainSeconds: number;
}

/**
 * Waits until the sink has every accepted event (of all the loads), then pairs the receipts of
 * the `measured` events with their send instants; both clocks are this machine's wall clock.
 */
export async function awaitDeliveries(
  pipeline: Pipeline,
  sql: postgres.Sql,
  loads: readonly TrackedLoad[],
  measured: TrackedLoad,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  const expected = loads.reduce((sum, load) => sum + load.sentAt.size, 0);
  const began = performance.now();
  const arrived = await waitUntil(async () => (await pipeline.sink.stats()).events >= expected, {
    timeoutMs,
    intervalMs: 100,
    what: `${expected} accepted events received by the sink`,
    abortOn: [...pipeline.services.map((service) => service.child.exited), pipeline.sink.child.exited],
  }).catch(() => NaN);
  // The deliverer records a delivery (one attempt row) just after the sink answered it.
  await waitUntil(async () => (await countRows(sql, 'delivery_attempts')) >= expected, {
    timeoutMs: 10_000,
    what: 'deliveries recorded',
  }).catch(() => undefined);
  const receipts = await pipeline.sink.receipts();
  const latencies: number[] = [];
  let missing = 0;
  for (const [id, sentAt] of measured.sentAt) {
    const receivedAt = receipts.get(id);
    if (receivedAt === undefined) missing += 1;
    else latencies.push(receivedAt - sentAt);
  }
  return {
    latency: summarizeLatencies(latencies),
    missing,
    sink: await pipeline.sink.stats(),
    counts: await countPipelineRows(sql),
    drainSeconds: (arrived - began) / 1000,
  };
}

/** No loss and no double processing, from the ingest API's 202s to the sink. */
export function pipelineChecks(
  subject: string,
  loads: readonly TrackedLoad[],
  outcome: DeliveryOutcome,
): Check[] {
  const accepted = loads.reduce((sum, load) => sum + load.sentAt.size, 0);
  const answered = loads.reduce(
    (sum, load) => sum + Object.values(load.paced.statusCounts).reduce((a, b) => a + b, 0),
    0,
  );
  const { counts, sink } = outcome;
  return [
    {
      name: `${subject}: every accepted event stored once, with one delivery, delivered once`,
      ok:
        accepted > 0 &&
        counts.events === accepted &&
        counts.queued === 0 &&
        counts.deliveries === accepted &&
        counts.eventsWithDeliveries === accepted &&
        counts.delivered === accepted &&
        counts.attempts === accepted,
      severity: 'error',
      detail: `${accepted} accepted of ${answered} sent; ${counts.events} events, ${counts.queued} still queued, ${counts.deliveries} deliveries for ${counts.eventsWithDeliveries} events, ${counts.delivered} delivered, ${counts.attempts} attempts`,
    },
    {
      name: `${subject}: the sink received every accepted event exactly once`,
      ok: sink.events === accepted && sink.duplicates === 0 && outcome.missing === 0,
      severity: 'error',
      detail: `${sink.events} distinct events of ${accepted} accepted, ${sink.duplicates} deliveries sent twice, ${outcome.missing} measured events never arrived`,
    },
  ];
}
