import { Pool } from 'undici';
import { summarizeLatencies, type LatencySummary } from './latency.js';
import { createResponseCollector, type CollectedResponses } from './response-collector.js';

/** An open-loop load: requests start on a fixed schedule, whether or not earlier ones were answered. */
export interface PacedLoad {
  /** One server, or several (instances of a scaled-out service) taking requests in turn. */
  origin: string | readonly string[];
  path: string;
  headers: Record<string, string>;
  nextBody: () => string;
  /** Requests started per second, evenly spaced. */
  rate: number;
  durationSeconds: number;
  /** Keep-alive connections available (per origin); a request that finds none free waits, and that wait counts in its latency. */
  connections: number;
  /**
   * Called with every answer and the wall-clock time (ms, sub-ms precision) its request was handed
   * to the client: the end-to-end latency measurement pairs it with the sink's receipt time.
   */
  onAnswer?: (status: number, body: string, sentAtMs: number) => void;
  /**
   * A request not answered this long after it was handed to the client (waiting for a connection
   * included) is abandoned and counted in `timedOut`: an overloaded server must not stretch a
   * 4-second phase into minutes of queued requests. Default 10 s.
   */
  timeoutMs?: number;
  /** Stops starting requests when aborted, before `durationSeconds` is up (a phase that ends on a condition). */
  stop?: AbortSignal;
}

export interface PacedResult extends CollectedResponses {
  durationSeconds: number;
  /** Requests actually started per second (should equal the target rate). */
  startedPerSecond: number;
  /** Send-to-last-byte time of the 202 answers (ms), measured from when each request was handed to the pool. */
  latency: LatencySummary;
  /** How late the generator started requests against the schedule (ms); large values void the measurement. */
  startLag: { p99: number; max: number };
  /** Latency counted from each request's scheduled instant, generator lateness included (an upper bound). */
  latencyFromSchedule: LatencySummary;
  errors: number;
  /** Of the errors, requests abandoned after `timeoutMs` (the server may still have accepted them). */
  timedOut: number;
  /** First transport error, to explain `errors`. */
  firstError?: string;
}

/**
 * Sends requests at evenly spaced instants and records each one's latency. autocannon's
 * `overallRate` is not used here: it lets every connection send its whole per-second quota at the
 * start of each second, so it measures bursts, not a steady arrival rate (see the README).
 */
export async function runPaced(load: PacedLoad): Promise<PacedResult> {
  const origins = typeof load.origin === 'string' ? [load.origin] : [...load.origin];
  const pools = origins.map(
    (origin) =>
      new Pool(origin, {
        connections: load.connections,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      }),
  );
  const collector = createResponseCollector();
  const total = Math.max(1, Math.round(load.rate * load.durationSeconds));
  const intervalMs = 1000 / load.rate;
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  const fromSchedule = new Float64Array(total);
  let answered = 0;
  let errors = 0;
  let timedOut = 0;
  let firstError: string | undefined;
  const timeoutMs = load.timeoutMs ?? 10_000;
  const inFlight = new Set<Promise<void>>();
  const headers = { 'content-type': 'application/json', ...load.headers };

  let lastStartedAt = 0;
  const send = async (index: number, scheduledAt: number): Promise<void> => {
    const startedAt = performance.now();
    lastStartedAt = startedAt;
    lags[index] = startedAt - scheduledAt;
    try {
      const response = await pools[index % pools.length]!.request({
        method: 'POST',
        path: load.path,
        headers,
        body: load.nextBody(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.body.text();
      const elapsed = performance.now() - startedAt;
      collector.record(response.statusCode, body);
      load.onAnswer?.(response.statusCode, body, performance.timeOrigin + startedAt);
      if (response.statusCode === 202) {
        fromSchedule[answered] = elapsed + (startedAt - scheduledAt);
        latencies[answered++] = elapsed;
      }
    } catch (error) {
      errors += 1;
      if ((error as Error).name === 'TimeoutError') timedOut += 1;
      firstError ??= (error as Error).message;
    }
  };

  const begin = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      // Catch up on every slot that is due: timers fire late by up to a millisecond or so.
      while (next < total && begin + next * intervalMs <= now) {
        const request = send(next, begin + next * intervalMs);
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
        next += 1;
      }
      if (next >= total || load.stop?.aborted) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, begin + next * intervalMs - performance.now()));
    };
    tick();
  });
  const sendingSeconds = (lastStartedAt - begin) / 1000;
  await Promise.allSettled([...inFlight]);
  await Promise.all(pools.map((pool) => pool.close()));

  const lagSummary = summarizeLatencies(lags.subarray(0, next));
  return {
    ...collector.result(),
    durationSeconds: sendingSeconds,
    startedPerSecond: next > 1 ? (next - 1) / sendingSeconds : 0,
    latency: summarizeLatencies(latencies.subarray(0, answered)),
    startLag: { p99: lagSummary.p99, max: lagSummary.max },
    latencyFromSchedule: summarizeLatencies(fromSchedule.subarray(0, answered)),
    errors,
    timedOut,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
