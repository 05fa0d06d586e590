import type postgres from 'postgres';
import { countPipelineRows, countRows, type PipelineCounts } from '../harness/bench-fixtures.js';
import { summarizeLatencies, type LatencySummary } from '../harness/latency.js';
import { runPaced, type PacedResult } from '../harness/paced-load.js';
import { acceptedIdOf, type Pipeline } from '../harness/pipeline.js';
import type { SinkCounts } from '../sinks/receipts.js';
import { waitUntil } from '../harness/wait.js';
import { wallClock } from '../harness/wall-clock.js';
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
  /** Ends the load early when aborted. */
  stop?: AbortSignal,
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
    ...(stop ? { stop } : {}),
    onAnswer: (status, body, at) => {
      if (status !== 202) return;
      const id = acceptedIdOf(body);
      if (id !== undefined) sentAt.set(id, at);
    },
  });
  return { paced, sentAt };
}

/** Accepted events whose requests were handed to the client between two wall-clock instants (ms). */
export function eventsSentBetween(loads: readonly TrackedLoad[], from: number, to: number): number {
  let count = 0;
  for (const load of loads) for (const at of load.sentAt.values()) if (at >= from && at <= to) count += 1;
  return count;
}

/** Events that first reached the sink between two wall-clock instants (ms). */
export function receivedBetween(receipts: ReadonlyMap<string, number>, from: number, to: number): number {
  let count = 0;
  for (const at of receipts.values()) if (at >= from && at <= to) count += 1;
  return count;
}

/**
 * Sink receipt − client send of each event of `load`; one not received yet counts as sent → `now`:
 * its latency is at least that, and leaving it out would flatter the tail.
 */
export function latencyOf(
  load: TrackedLoad,
  receipts: ReadonlyMap<string, number>,
  now: number,
): { latency: LatencySummary; missing: number } {
  const latencies: number[] = [];
  let missing = 0;
  for (const [id, sentAt] of load.sentAt) {
    const receivedAt = receipts.get(id);
    if (receivedAt === undefined) missing += 1;
    latencies.push((receivedAt ?? now) - sentAt);
  }
  return { latency: summarizeLatencies(latencies), missing };
}

export interface DeliveryOutcome {
  /** Sink receipt − client send per event of `measured` (ms); one that never arrived counts as sent → end of the wait. */
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
  const { latency, missing } = latencyOf(measured, receipts, wallClock());
  return {
    latency,
    missing,
    sink: await pipeline.sink.stats(),
    counts: await countPipelineRows(sql),
    drainSeconds: (arrived - began) / 1000,
  };
}

/**
 * No loss and no double processing, from the ingest API's 202s to the sink. An event still on its
 * way when the wait ended (an overloaded pipeline) is reported, not called lost: it is stored and
 * has its delivery, only not yet sent. `duplicatesAllowed` bounds the webhooks the sink may get
 * twice where a scenario allows some (at-least-once: at most what the deliverers had in flight);
 * 0 elsewhere.
 */
export function pipelineChecks(
  subject: string,
  loads: readonly TrackedLoad[],
  outcome: DeliveryOutcome,
  duplicatesAllowed = 0,
): Check[] {
  const accepted = loads.reduce((sum, load) => sum + load.sentAt.size, 0);
  const answered = loads.reduce(
    (sum, load) => sum + Object.values(load.paced.statusCounts).reduce((a, b) => a + b, 0),
    0,
  );
  const { counts, sink } = outcome;
  // A request the client gave up on after sending it may still have been accepted: such events
  // exist without an id on our side, so they bound how many more events than accepted ids there
  // may be. One given up on before it was sent cannot have been.
  const abandoned = loads.reduce((sum, load) => sum + load.paced.timedOut, 0);
  const unsent = loads.reduce((sum, load) => sum + load.paced.abandonedUnsent, 0);
  const failed = loads.reduce((sum, load) => sum + load.paced.errors, 0);
  const stored = counts.events + counts.queued;
  return [
    {
      name: `${subject}: every accepted event stored once, with exactly one delivery`,
      ok:
        accepted > 0 &&
        stored >= accepted &&
        stored - accepted <= abandoned - unsent &&
        counts.deliveries === counts.events &&
        counts.eventsWithDeliveries === counts.events,
      severity: 'error',
      detail: `${accepted} accepted of ${answered + failed} sent (${failed} without an answer, ${abandoned} of them abandoned after the client's timeout, ${unsent} of those before they were sent); ${counts.events} events + ${counts.queued} still queued, ${counts.deliveries} deliveries for ${counts.eventsWithDeliveries} events`,
    },
    {
      name:
        duplicatesAllowed === 0
          ? `${subject}: no delivery sent twice, none marked delivered without reaching the sink`
          : `${subject}: deliveries sent twice within what was in flight (${duplicatesAllowed}), none marked delivered without reaching the sink`,
      ok:
        sink.duplicates <= duplicatesAllowed &&
        counts.attempts === counts.delivered &&
        sink.events >= counts.delivered,
      severity: 'error',
      detail: `${sink.received} requests for ${sink.events} distinct events (${sink.duplicates} sent twice); ${counts.delivered} deliveries delivered with ${counts.attempts} attempts`,
    },
    {
      name: `${subject}: every accepted event reached the sink before the wait ended`,
      ok: sink.events >= accepted && outcome.missing === 0,
      severity: 'warn',
      detail: `${sink.events} of ${accepted} accepted events received; ${outcome.missing} measured events had not arrived (the pipeline did not keep up)`,
    },
  ];
}
