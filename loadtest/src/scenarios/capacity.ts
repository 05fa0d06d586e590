import { createEventBodies } from '../harness/event-body.js';
import { PIPELINE_START_SECONDS, withPipeline } from '../harness/pipeline-run.js';
import { serviceLog } from '../harness/service-process.js';
import { HELD_P95_MS, percent } from './capacity-rules.js';
import {
  bareExpressSeconds,
  curveOf,
  measureBareExpress,
  searchCapacity,
  searchSeconds,
  type CapacityStep,
} from './capacity-steps.js';
import { costMeasurements } from './cost-figures.js';
import { endpointChecks } from './endpoint-phases.js';
import { awaitDeliveries, pipelineChecks } from './pipeline-load.js';
import type { Check, Measurement, Scenario } from './scenario.js';

const SUBJECT = 'whole pipeline';

/**
 * Capacity and cost: bare express's max rate measured first (a short run, the same machinery as
 * the `bare-express` ceiling), then the whole pipeline stepped through arrival rates that are
 * fractions of it (see searchCapacity). Capacity is the highest rate held; the cost per event is
 * reported at 10% of bare express and at capacity.
 */
export const capacityScenario: Scenario = {
  name: 'capacity',
  title: 'Capacity: the highest arrival rate the whole pipeline holds, and its cost per event',
  section: 'Capacity and cost per event: the whole pipeline',
  once: true,
  estimateSeconds: (options) => bareExpressSeconds(options) + PIPELINE_START_SECONDS + searchSeconds(options),
  run: async ({ options, run, log }) => {
    log(`bare express max rate, ${options.capacityBareSeconds} s`);
    const bare = await measureBareExpress(options, run, log);
    const bareRate = bare.maxRate.acceptedPerSecond;
    return withPipeline(options, 1, `capacity${run}`, async (pipelineRun) => {
      const search = await searchCapacity(
        pipelineRun,
        options,
        bareRate,
        createEventBodies(pipelineRun.tag),
        log,
      );
      const { pipeline, sql, database } = pipelineRun;
      const last = search.steps.at(-1)?.load ?? search.loads[0]!;
      const outcome = await awaitDeliveries(pipeline, sql, search.loads, last, 60_000);
      const capacity = search.capacity;
      log(
        `→ capacity ${capacity ? `${capacity.rate} events/s (${percent(capacity.fraction)} of bare express ${Math.round(bareRate)} req/s)` : 'none: no step held'}; stopped: ${search.stoppedBecause}`,
      );
      const measurements: Measurement[] = [
        {
          id: 'capacity.bare-express.max-rate',
          subject: 'bare express 5',
          figure: `max rate (${options.capacityBareSeconds} s, for the steps)`,
          unit: 'req/s',
          value: bareRate,
          better: 'higher',
        },
        {
          id: 'capacity.rate',
          subject: SUBJECT,
          figure: `capacity (p95 ≤ ${HELD_P95_MS} ms, no backlog)`,
          unit: 'events/s',
          value: capacity?.rate ?? NaN,
          better: 'higher',
          ceilings: ['capacity.bare-express.max-rate'],
        },
        ...stepCost('capacity.cost-10pct', search.tenPercent),
        ...stepCost('capacity.cost-at-capacity', capacity),
      ];
      const checks: Check[] = [
        ...endpointChecks(bare, 'bare express 5 (capacity)'),
        ...pipelineChecks('capacity', search.loads, outcome),
        {
          name: 'capacity: at least one step held',
          ok: capacity !== undefined,
          severity: 'warn',
          detail: search.steps
            .map((step) => `${step.rate}/s ${step.held ? 'held' : `not held (${step.reasons.join('; ')})`}`)
            .join(', '),
        },
      ];
      return {
        measurements,
        checks,
        details: {
          bareExpressRate: bareRate,
          curve: curveOf(search.steps),
          stoppedBecause: search.stoppedBecause,
          steps: search.steps.map(stepDetails),
          database: database.name,
          counts: outcome.counts,
          sink: outcome.sink,
          serviceLog: serviceLog(pipeline.services),
        },
      };
    });
  },
};

function stepCost(prefix: string, step: CapacityStep | undefined): Measurement[] {
  if (step === undefined) return [];
  return costMeasurements(prefix, SUBJECT, `@ ${step.rate} events/s (${percent(step.fraction)})`, step.cost);
}

function stepDetails(step: CapacityStep) {
  return {
    fraction: step.fraction,
    rate: step.rate,
    held: step.held,
    reasons: step.reasons,
    latency: step.latency,
    ingestLatency: step.load.paced.latency,
    deliveredPerSecond: step.deliveredPerSecond,
    undelivered: step.undelivered,
    accepted: step.load.sentAt.size,
    statusCounts: step.load.paced.statusCounts,
    startLag: step.load.paced.startLag,
    cost: step.cost,
  };
}
