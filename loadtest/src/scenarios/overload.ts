import { sleep } from '../harness/child-process.js';
import { createEventBodies } from '../harness/event-body.js';
import { PIPELINE_START_SECONDS, withPipeline } from '../harness/pipeline-run.js';
import { pipelineWork } from '../harness/pipeline-work.js';
import type { Pipeline } from '../harness/pipeline.js';
import { serviceLog } from '../harness/service-process.js';
import { wallClock } from '../harness/wall-clock.js';
import type { BenchOptions } from '../options/bench-options.js';
import {
  bareExpressSeconds,
  CAPACITY_WARMUP_SECONDS,
  curveOf,
  drained,
  measureBareExpress,
  searchCapacity,
  searchSeconds,
} from './capacity-steps.js';
import { delivererSetting } from './delivery.js';
import { withoutIds } from './endpoint-phases.js';
import {
  awaitDeliveries,
  pipelineChecks,
  receivedBetween,
  sendTracked,
  type TrackedLoad,
} from './pipeline-load.js';
import type { Check, Measurement, Scenario } from './scenario.js';

const SUBJECT = 'whole pipeline, overloaded';

/**
 * Overload: the pipeline at twice its capacity for `overloadSeconds`, then at half of it until
 * every event of the overload has reached the sink. Capacity is `--capacity-rate` when given, else
 * found first on the same pipeline by the capacity steps (bare express measured before it starts).
 * Says how much of its capacity the pipeline still delivers when offered more, how often it
 * postpones deliveries then, and how long the backlog takes to clear; nothing may be lost.
 */
export const overloadScenario: Scenario = {
  name: 'overload',
  title: 'Overload: 2× capacity, then 0.5× until the backlog is drained',
  section: 'Overload: 2× capacity, then 0.5× until drained',
  once: true,
  estimateSeconds: (options) =>
    (options.capacityRate > 0
      ? CAPACITY_WARMUP_SECONDS
      : bareExpressSeconds(options) + searchSeconds(options)) +
    PIPELINE_START_SECONDS +
    // The overload, and about twice as long to drain at half capacity what it left.
    3 * options.overloadSeconds,
  run: async ({ options, run, log }) => {
    const bareRate =
      options.capacityRate > 0
        ? undefined
        : (await measureBareExpress(options, run, log)).maxRate.acceptedPerSecond;
    return withPipeline(options, 1, `overload${run}`, async (pipelineRun) => {
      const { pipeline, sql, database, tag } = pipelineRun;
      const nextBody = createEventBodies(tag);
      const send = (rate: number, seconds: number, stop?: AbortSignal) =>
        sendTracked(pipeline, nextBody, rate, seconds, options.latencyConnections, stop);
      const loads: TrackedLoad[] = [];
      let capacity = options.capacityRate;
      let curve: ReturnType<typeof curveOf> | undefined;
      if (bareRate !== undefined) {
        const search = await searchCapacity(pipelineRun, options, bareRate, nextBody, log);
        loads.push(...search.loads);
        curve = curveOf(search.steps);
        if (search.capacity === undefined)
          throw new Error(`no capacity step held (${search.stoppedBecause})`);
        capacity = search.capacity.rate;
      } else {
        loads.push(await send(Math.max(1, Math.round(capacity / 2)), CAPACITY_WARMUP_SECONDS));
      }
      const boundMs = drainBoundMs(options);
      if (!(await drained(pipeline, loads, boundMs)))
        log(`the backlog before the overload did not drain; going on`);

      const [double, half] = [Math.round(2 * capacity), Math.max(1, Math.round(capacity / 2))];
      log(
        `capacity ${capacity} events/s: ${double} events/s for ${options.overloadSeconds} s, then ${half} events/s until drained (at most ${boundMs / 1000} s)`,
      );
      const workBefore = await pipelineWork(pipeline.services);
      const receivedBefore = (await pipeline.sink.stats()).received;
      const startedAt = wallClock();
      const overload = await send(double, options.overloadSeconds);
      // The phase as offered: its paced duration also holds the wait for the last answers.
      const overloadUntil = startedAt + options.overloadSeconds * 1000;
      let lastSent = startedAt;
      for (const at of overload.sentAt.values()) lastSent = Math.max(lastSent, at);
      loads.push(overload);
      const stop = new AbortController();
      const drainLoad = send(half, boundMs / 1000, stop.signal);
      const lastArrival = await lastArrivalOf(pipeline, loads, overload, boundMs).finally(() => stop.abort());
      loads.push(await drainLoad);
      const workAfter = await pipelineWork(pipeline.services);
      const received = (await pipeline.sink.stats()).received - receivedBefore;
      const postponed =
        workAfter.postponedBusy +
        workAfter.postponedCircuit -
        workBefore.postponedBusy -
        workBefore.postponedCircuit;

      const receipts = await pipeline.sink.receipts();
      const deliveredRate = receivedBetween(receipts, startedAt, overloadUntil) / options.overloadSeconds;
      // From the overload's last accepted event sent to its arrival at the sink.
      const drainSeconds = (lastArrival - lastSent) / 1000;
      const postponedShare = received > 0 ? (postponed / received) * 100 : NaN;
      log(
        `→ ${deliveredRate.toFixed(0)} delivered/s at ${double} events/s offered (capacity ${capacity}); drained ${Number.isFinite(drainSeconds) ? `${drainSeconds.toFixed(1)} s` : 'not'} after; ${postponed} postponements for ${received} deliveries`,
      );
      const outcome = await awaitDeliveries(pipeline, sql, loads, overload, 60_000);
      const inFlight = pipeline.deliverers.length * deliveriesInFlight();
      const measurements: Measurement[] = [
        {
          id: 'overload.capacity-rate',
          subject: 'pipeline capacity',
          figure: bareRate === undefined ? 'given (--capacity-rate)' : 'found by the capacity steps',
          unit: 'events/s',
          value: capacity,
          better: 'higher',
        },
        {
          id: 'overload.delivered-rate',
          subject: SUBJECT,
          figure: `delivered at ${double} events/s offered (2× capacity)`,
          unit: 'deliveries/s',
          value: deliveredRate,
          better: 'higher',
          ceilings: ['overload.capacity-rate'],
        },
        {
          id: 'overload.postponed-share',
          subject: SUBJECT,
          figure: 'postponements per delivery, overload and drain',
          unit: '%',
          value: postponedShare,
          better: 'lower',
        },
        {
          id: 'overload.drain-seconds',
          subject: SUBJECT,
          figure: `backlog drained at ${half} events/s (0.5× capacity)`,
          unit: 's',
          value: drainSeconds,
          better: 'lower',
        },
      ];
      const checks: Check[] = [
        ...pipelineChecks('overload', loads, outcome, inFlight),
        {
          name: 'overload: the backlog drained at half capacity',
          ok: Number.isFinite(drainSeconds),
          severity: 'warn',
          detail: `${Number.isFinite(drainSeconds) ? `${drainSeconds.toFixed(1)} s` : 'not'} after the overload (bound ${boundMs / 1000} s)`,
        },
      ];
      return {
        measurements,
        checks,
        details: {
          capacityRate: capacity,
          ...(bareRate === undefined ? {} : { bareExpressRate: bareRate, curve }),
          rates: { overload: double, drain: half },
          deliveredRate,
          drainSeconds,
          postponed: { total: postponed, deliveries: received, before: workBefore, after: workAfter },
          database: database.name,
          counts: outcome.counts,
          sink: outcome.sink,
          serviceLog: serviceLog(pipeline.services),
          phases: withoutIds({ overload: overload.paced, drain: loads.at(-1)!.paced }),
        },
      };
    });
  },
};

/** How long the backlog may take to clear at half capacity before the drain counts as failed. */
function drainBoundMs(options: BenchOptions): number {
  return Math.max(60, 4 * options.overloadSeconds) * 1000;
}

/** Deliveries one deliverer has in flight at most: what a lapse under overload could send twice. */
function deliveriesInFlight(): number {
  return delivererSetting('CONCURRENCY');
}

/**
 * Wall-clock instant the last event of `load` reached the sink; NaN when some had not within
 * `timeoutMs`. The sink's count is polled first (cheap), its receipts only once it has as many
 * events as were accepted up to `load`: the backlog leaves roughly in order.
 */
async function lastArrivalOf(
  pipeline: Pipeline,
  loads: readonly TrackedLoad[],
  load: TrackedLoad,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const expected = loads.reduce((sum, each) => sum + each.sentAt.size, 0);
  while (performance.now() < deadline) {
    if ((await pipeline.sink.stats()).events >= expected) {
      const receipts = await pipeline.sink.receipts();
      let last = 0;
      let missing = false;
      for (const id of load.sentAt.keys()) {
        const at = receipts.get(id);
        if (at === undefined) missing = true;
        else last = Math.max(last, at);
      }
      if (!missing) return last;
    }
    await sleep(500);
  }
  return NaN;
}
