import type { PipelineCounts } from '../harness/bench-fixtures.js';
import type { PacedResult } from '../harness/paced-load.js';
import {
  eventsSentBetween,
  latencyOf,
  pipelineChecks,
  receivedBetween,
  type DeliveryOutcome,
  type TrackedLoad,
} from './pipeline-load.js';

const load = (sentAt: [string, number][]): TrackedLoad => ({
  paced: {
    statusCounts: { 202: sentAt.length },
    timedOut: 0,
    abandonedUnsent: 0,
    errors: 0,
  } as unknown as PacedResult,
  sentAt: new Map(sentAt),
});

describe('eventsSentBetween and receivedBetween', () => {
  it('count the instants within the window, both ends included', () => {
    const loads = [
      load([
        ['a', 100],
        ['b', 200],
      ]),
      load([
        ['c', 300],
        ['d', 301],
      ]),
    ];
    expect(eventsSentBetween(loads, 200, 300)).toBe(2);
    expect(
      receivedBetween(
        new Map([
          ['a', 99],
          ['b', 150],
          ['c', 250],
        ]),
        100,
        250,
      ),
    ).toBe(2);
  });
});

describe('latencyOf', () => {
  it('counts an event not received yet as sent → now', () => {
    const { latency, missing } = latencyOf(
      load([
        ['a', 100],
        ['b', 200],
      ]),
      new Map([['a', 110]]),
      1200,
    );
    expect(missing).toBe(1);
    expect([latency.min, latency.max]).toEqual([10, 1000]);
  });
});

describe('pipelineChecks', () => {
  const counts: PipelineCounts = {
    queued: 0,
    events: 2,
    deliveries: 2,
    eventsWithDeliveries: 2,
    delivered: 2,
    attempts: 2,
    handoffs: 0,
  };
  const outcome = (duplicates: number): DeliveryOutcome => ({
    latency: latencyOf(load([]), new Map(), 0).latency,
    missing: 0,
    sink: { received: 2 + duplicates, distinctWebhookIds: 2, duplicates, events: 2 },
    counts,
    drainSeconds: 1,
  });
  const loads = [
    load([
      ['a', 1],
      ['b', 2],
    ]),
  ];
  const twice = (checks: ReturnType<typeof pipelineChecks>) => checks[1]!.ok;

  it('allows no webhook twice by default', () => {
    expect(twice(pipelineChecks('e2e', loads, outcome(0)))).toBe(true);
    expect(twice(pipelineChecks('e2e', loads, outcome(1)))).toBe(false);
  });

  it('allows as many twice as the scenario bounds', () => {
    expect(twice(pipelineChecks('overload', loads, outcome(200), 200))).toBe(true);
    expect(twice(pipelineChecks('overload', loads, outcome(201), 200))).toBe(false);
  });
});
