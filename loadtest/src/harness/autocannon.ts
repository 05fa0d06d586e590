import autocannon from 'autocannon';
import { createResponseCollector, type CollectedResponses } from './response-collector.js';

/** A closed-loop load: `connections` clients, each sending its next request as soon as the last is answered. */
export interface ClosedLoopLoad {
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** Called for every request; unique bodies keep dedup from collapsing them. */
  nextBody: () => string;
  connections: number;
  durationSeconds: number;
}

export interface ClosedLoopResult extends CollectedResponses {
  durationSeconds: number;
  /** 202 answers per second over the whole phase: the sustained accepted rate. */
  acceptedPerSecond: number;
  /** Connection errors and timeouts, which have no status. */
  errors: number;
  timeouts: number;
  /** Autocannon's own histogram (ms), closed-loop, so it says how queues grow, not what a client sees at a given rate. */
  latency: { p50: number; p99: number; max: number; avg: number };
}

/**
 * Runs autocannon in this process (the servers under test run in other processes), with every
 * response body passed to a collector so that the ids of the 202s can be checked afterwards.
 */
export async function runClosedLoop(load: ClosedLoopLoad): Promise<ClosedLoopResult> {
  const collector = createResponseCollector();
  const result = await autocannon({
    url: load.origin,
    connections: load.connections,
    duration: load.durationSeconds,
    // A request slower than this is counted as a timeout rather than stalling a connection for good.
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: load.path,
        headers: { 'content-type': 'application/json', ...load.headers },
        setupRequest: (request) => ({ ...request, body: load.nextBody() }),
        onResponse: (status, body) => collector.record(status, body),
      },
    ],
  });
  const collected = collector.result();
  const accepted = collected.statusCounts['202'] ?? 0;
  return {
    ...collected,
    durationSeconds: result.duration,
    acceptedPerSecond: accepted / result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      avg: result.latency.average,
    },
  };
}
