import { Pool } from 'undici';
import { summarizeLatencies, type LatencySummary } from './latency.js';
import { wallClock } from './wall-clock.js';
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
  /** Slots that came due per second (should equal the target rate; some may have waited, or been abandoned unsent). */
  startedPerSecond: number;
  /** Time of the 202 answers (ms), from when each request's slot came due (the wait for a connection included) to the last byte. */
  latency: LatencySummary;
  /** How late the generator started requests against the schedule (ms); large values void the measurement. */
  startLag: { p99: number; max: number };
  /** Latency counted from each request's scheduled instant, generator lateness included (an upper bound). */
  latencyFromSchedule: LatencySummary;
  errors: number;
  /** Of the errors, requests abandoned after `timeoutMs` (the server may still have accepted them). */
  timedOut: number;
  /** Of those, requests that waited 90 % of `timeoutMs` for a free connection and were never sent. */
  abandonedUnsent: number;
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
  let abandonedUnsent = 0;
  let firstError: string | undefined;
  const timeoutMs = load.timeoutMs ?? 10_000;
  const headers = { 'content-type': 'application/json', ...load.headers };

  // Slots come due on the schedule; a due slot waits in line for a free connection. The line is the
  // range of slot indices [dispatched, due): the generator holds no request object, timer or body
  // for a slot until a connection takes it, so a long line under overload costs it nothing (handing
  // every slot to undici at once gave each its own timer and queued request, and at twice the
  // pipeline's capacity the generator itself then used most of a core).
  const slotsPerOrigin = load.connections;
  const busy = pools.map(() => 0);
  let due = 0;
  let dispatched = 0;
  let lastStartedAt = 0;
  let finished: (() => void) | undefined;
  let scheduleOver = false;
  let turn = 0;
  let begin = 0;

  const freePool = (): number => {
    for (let i = 0; i < pools.length; i += 1) {
      const candidate = (turn + i) % pools.length;
      if (busy[candidate]! < slotsPerOrigin) {
        turn = candidate + 1;
        return candidate;
      }
    }
    return -1;
  };

  const send = async (index: number, startedAt: number, pool: number): Promise<void> => {
    busy[pool]! += 1;
    try {
      const response = await pools[pool]!.request({
        method: 'POST',
        path: load.path,
        headers,
        body: load.nextBody(),
        signal: AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs - (performance.now() - startedAt)))),
      });
      const body = await response.body.text();
      const elapsed = performance.now() - startedAt;
      collector.record(response.statusCode, body);
      load.onAnswer?.(response.statusCode, body, wallClock() - (performance.now() - startedAt));
      if (response.statusCode === 202) {
        fromSchedule[answered] = elapsed + lags[index]!;
        latencies[answered++] = elapsed;
      }
    } catch (error) {
      errors += 1;
      if ((error as Error).name === 'TimeoutError') timedOut += 1;
      firstError ??= (error as Error).message;
    } finally {
      busy[pool]! -= 1;
    }
  };

  /**
   * Hands waiting slots to free connections, oldest first. A slot that waited 90 % of `timeoutMs` is
   * abandoned unsent: sent that late, it would hold a connection only to be cut off, and a long line
   * would turn into a churn of such requests, each one work the server does for nobody.
   */
  const pump = (): void => {
    while (dispatched < due) {
      const pool = freePool();
      if (pool < 0) break;
      const index = dispatched++;
      // Handed to the client when it came due: the wait for a connection counts in its latency.
      const startedAt = begin + index * intervalMs + lags[index]!;
      if (performance.now() - startedAt >= timeoutMs * 0.9) {
        errors += 1;
        timedOut += 1;
        abandonedUnsent += 1;
        firstError ??= 'The operation was aborted due to timeout';
        continue;
      }
      // send() never rejects; its connection is counted free again before this runs.
      void send(index, startedAt, pool).finally(pump);
    }
    if (scheduleOver && dispatched === due && busy.every((n) => n === 0)) finished?.();
  };

  begin = performance.now();
  await new Promise<void>((resolve) => {
    finished = resolve;
    const tick = (): void => {
      const now = performance.now();
      // Catch up on every slot that is due: timers fire late by up to a millisecond or so.
      while (due < total && begin + due * intervalMs <= now) {
        lags[due] = now - (begin + due * intervalMs);
        lastStartedAt = now;
        due += 1;
      }
      scheduleOver = due >= total || load.stop?.aborted === true;
      pump();
      if (!scheduleOver) setTimeout(tick, Math.max(0, begin + due * intervalMs - performance.now()));
    };
    tick();
  });
  const sendingSeconds = (lastStartedAt - begin) / 1000;
  await Promise.all(pools.map((pool) => pool.close()));

  const lagSummary = summarizeLatencies(lags.subarray(0, due));
  return {
    ...collector.result(),
    durationSeconds: sendingSeconds,
    startedPerSecond: due > 1 ? (due - 1) / sendingSeconds : 0,
    latency: summarizeLatencies(latencies.subarray(0, answered)),
    startLag: { p99: lagSummary.p99, max: lagSummary.max },
    latencyFromSchedule: summarizeLatencies(fromSchedule.subarray(0, answered)),
    errors,
    timedOut,
    abandonedUnsent,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
