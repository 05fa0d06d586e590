import autocannon from 'autocannon';
import { createResponseCollector, type CollectedResponses } from './response-collector.js';

/** A closed-loop load: `connections` clients, each sending its next request as soon as the last is answered. */
export interface ClosedLoopLoad {
  /** One server, or several (instances of a scaled-out service) sharing the connections evenly. */
  origin: string | readonly string[];
  path: string;
  headers: Record<string, string>;
  /** Called for every request; unique bodies keep dedup from collapsing them. */
  nextBody: () => string;
  connections: number;
  durationSeconds: number;
  /** Reads the accepted ids of a 202 body (default: its `id`). */
  idsOf?: (body: string) => string[] | undefined;
}

export interface ClosedLoopResult extends CollectedResponses {
  durationSeconds: number;
  /** 202 answers per second over the whole phase: the sustained accepted rate. */
  acceptedPerSecond: number;
  /** Accepted ids per second: events per second when each answer accepts many (batches). */
  idsPerSecond: number;
  /** Connection errors and timeouts, which have no status. */
  errors: number;
  timeouts: number;
  /** Autocannon's own histogram (ms), closed-loop, so it says how queues grow, not what a client sees at a given rate. */
  latency: { p50: number; p99: number; max: number; avg: number };
}

/**
 * Runs autocannon in this process (the servers under test run in other processes), with every
 * response body passed to a collector so that the ids of the 202s can be checked afterwards.
 * Several origins get one autocannon instance each, run at once, and their results are added up.
 */
export async function runClosedLoop(load: ClosedLoopLoad): Promise<ClosedLoopResult> {
  const origins = typeof load.origin === 'string' ? [load.origin] : [...load.origin];
  const collector = createResponseCollector(202, load.idsOf);
  const results = await Promise.all(
    origins.map((origin, index) =>
      autocannon({
        url: origin,
        // Spread evenly; the first instances take the remainder.
        connections: Math.max(
          1,
          Math.floor(load.connections / origins.length) + (index < load.connections % origins.length ? 1 : 0),
        ),
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
      }),
    ),
  );
  const collected = collector.result();
  const accepted = collected.statusCounts['202'] ?? 0;
  const duration = Math.max(...results.map((result) => result.duration));
  const first = results[0]!;
  return {
    ...collected,
    durationSeconds: duration,
    acceptedPerSecond: accepted / duration,
    idsPerSecond: collected.acceptedIds.length / duration,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    timeouts: results.reduce((sum, result) => sum + result.timeouts, 0),
    // With several instances these are the first one's; the per-origin figures are alike.
    latency: {
      p50: first.latency.p50,
      p99: first.latency.p99,
      max: Math.max(...results.map((result) => result.latency.max)),
      avg: first.latency.average,
    },
  };
}
