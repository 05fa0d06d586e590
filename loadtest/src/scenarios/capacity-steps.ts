import { costPerEvent, measureCost, type CostPerEvent, type CostTotals } from '../harness/cost-window.js';
import type { LatencySummary } from '../harness/latency.js';
import { sleep } from '../harness/child-process.js';
import type { PipelineRun } from '../harness/pipeline-run.js';
import { wallClock } from '../harness/wall-clock.js';
import type { Pipeline } from '../harness/pipeline.js';
import type { BenchOptions } from '../options/bench-options.js';
import {
  capacityOf,
  percent,
  shouldStop,
  STEP_GRACE_MS,
  stepRates,
  stepVerdict,
  TEN_PERCENT,
} from './capacity-rules.js';
import { BARE_EXPRESS, measureCeiling } from './ceilings.js';
import { describeCost } from './cost-figures.js';
import {
  eventsSentBetween,
  latencyOf,
  receivedBetween,
  sendTracked,
  type TrackedLoad,
} from './pipeline-load.js';

/** Seconds of load at the first step's rate before the first step: JIT, pools, caches. */
export const CAPACITY_WARMUP_SECONDS = 5;

export interface CapacityStep {
  /** Of bare express's max rate. */
  fraction: number;
  /** Events per second sent. */
  rate: number;
  load: TrackedLoad;
  /** Client send → sink receipt of the step's events; one still missing counts as sent → end of the grace. */
  latency: LatencySummary;
  /** Events the sink received per second while the step sent (whichever step they came from). */
  deliveredPerSecond: number;
  undelivered: number;
  held: boolean;
  /** Why the step was not held (empty when it was). */
  reasons: string[];
  cost: CostPerEvent & { totals: CostTotals };
}

export interface CapacitySearch {
  steps: CapacityStep[];
  /** Every load sent, the warm-up included, for the checks. */
  loads: TrackedLoad[];
  /** The held step of the highest rate. */
  capacity: CapacityStep | undefined;
  /** The 10% step, run whether held or not. */
  tenPercent: CapacityStep | undefined;
  stoppedBecause: string;
}

/**
 * Steps the arrival rate up through `capacitySteps` (fractions of `bareRate`), each held for
 * `capacityStepSeconds` on the one running pipeline, until `capacityMisses` steps in a row were not
 * held (see stepVerdict). A step that left a backlog is given time to drain before the next one,
 * so that each starts from an idle pipeline; if it does not drain, the search ends there.
 */
export async function searchCapacity(
  { pipeline, cost }: PipelineRun,
  options: BenchOptions,
  bareRate: number,
  nextBody: () => string,
  log: (message: string) => void,
): Promise<CapacitySearch> {
  const plan = stepRates(options.capacitySteps, bareRate);
  const send = (rate: number, seconds: number) =>
    sendTracked(pipeline, nextBody, rate, seconds, options.latencyConnections);
  log(
    `capacity steps of ${options.capacityStepSeconds} s: ${plan.map(({ fraction, rate }) => `${percent(fraction)} = ${rate}/s`).join(', ')}`,
  );
  const loads = [await send(plan[0]!.rate, CAPACITY_WARMUP_SECONDS)];
  const steps: CapacityStep[] = [];
  let stoppedBecause = 'every step ran';
  for (const { fraction, rate } of plan) {
    if (!(await drained(pipeline, loads, drainBoundMs(options)))) {
      stoppedBecause = `the backlog of the ${percent(steps.at(-1)?.fraction ?? 0)} step did not drain within ${drainBoundMs(options) / 1000} s`;
      break;
    }
    const startedAt = wallClock();
    const { value: load, totals } = await measureCost(cost, () => send(rate, options.capacityStepSeconds));
    loads.push(load);
    const sentUntil = startedAt + load.paced.durationSeconds * 1000;
    await drained(pipeline, loads, STEP_GRACE_MS);
    const receipts = await pipeline.sink.receipts();
    const { latency, missing } = latencyOf(load, receipts, wallClock());
    const sent = Object.values(load.paced.statusCounts).reduce((a, b) => a + b, 0) + load.paced.errors;
    const verdict = stepVerdict({ p95: latency.p95, sent, accepted: load.sentAt.size, undelivered: missing });
    const step: CapacityStep = {
      fraction,
      rate,
      load,
      latency,
      deliveredPerSecond: receivedBetween(receipts, startedAt, sentUntil) / ((sentUntil - startedAt) / 1000),
      undelivered: missing,
      ...verdict,
      cost: { ...costPerEvent(totals, eventsSentBetween([load], totals.from, totals.to)), totals },
    };
    steps.push(step);
    log(
      `${percent(fraction)} = ${rate} events/s: p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms, ${step.deliveredPerSecond.toFixed(0)} delivered/s → ${step.held ? 'held' : `not held (${step.reasons.join('; ')})`}; ${describeCost(step.cost)}`,
    );
    if (shouldStop(steps, options.capacityMisses)) {
      stoppedBecause = `${options.capacityMisses} step${options.capacityMisses === 1 ? '' : 's'} in a row not held`;
      break;
    }
  }
  return {
    steps,
    loads,
    capacity: capacityOf(steps),
    tenPercent: steps.find((step) => step.fraction === TEN_PERCENT),
    stoppedBecause,
  };
}

/** How long a backlog may take to drain between steps before the search gives up. */
function drainBoundMs(options: BenchOptions): number {
  return Math.max(30_000, options.capacityStepSeconds * 1500);
}

/** Waits up to `timeoutMs` until the sink has every event accepted so far; false when it has not. */
export async function drained(
  pipeline: Pipeline,
  loads: readonly TrackedLoad[],
  timeoutMs: number,
): Promise<boolean> {
  const expected = loads.reduce((sum, load) => sum + load.sentAt.size, 0);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await pipeline.sink.stats()).events >= expected) return true;
    if (performance.now() > deadline) return false;
    await sleep(100);
  }
}

/** The points of the capacity curve, as the results chart reads them. */
export function curveOf(steps: readonly CapacityStep[]) {
  return steps.map((step) => ({
    rate: step.rate,
    fraction: step.fraction,
    p50: step.latency.p50,
    p95: step.latency.p95,
    p99: step.latency.p99,
    deliveredPerSecond: step.deliveredPerSecond,
    held: step.held,
  }));
}

/** Bare express's max rate in a short run (no latency phases), to scale the steps to this machine. */
export async function measureBareExpress(options: BenchOptions, run: number, log: (message: string) => void) {
  const short = { ...options, durationSeconds: options.capacityBareSeconds, warmupSeconds: 1 };
  return (await measureCeiling(BARE_EXPRESS, short, run, log, { latency: false })).phases;
}

/** Child start-up, 1 s warm-up, the run. */
export function bareExpressSeconds(options: BenchOptions): number {
  return 3 + options.capacityBareSeconds;
}

/**
 * The stepping as it goes here, where the pipeline holds about 10% of bare express (2 cores shared
 * with the load generator): the steps up to 10%, which always run, then `capacityMisses` missed ones,
 * each followed by a drain. A machine with more cores holds a larger share and runs more steps.
 */
export function searchSeconds(options: BenchOptions): number {
  const steps =
    stepRates(options.capacitySteps, 1).filter(({ fraction }) => fraction <= TEN_PERCENT).length +
    options.capacityMisses;
  return (
    CAPACITY_WARMUP_SECONDS +
    steps * (options.capacityStepSeconds + 1.5) +
    options.capacityMisses * (options.capacityStepSeconds / 2)
  );
}
