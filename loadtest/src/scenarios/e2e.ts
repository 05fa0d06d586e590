import { sleep } from '../harness/child-process.js';
import { costPerEvent, measureCost } from '../harness/cost-window.js';
import { createEventBodies } from '../harness/event-body.js';
import { describeCpu } from '../harness/machine-load.js';
import { withPipeline } from '../harness/pipeline-run.js';
import { pipelineWork } from '../harness/pipeline-work.js';
import { serviceLog } from '../harness/service-process.js';
import { costMeasurements, describeCost } from './cost-figures.js';
import { LATENCY_FIGURES, withoutIds } from './endpoint-phases.js';
import { peakRssMeasurements } from './memory.js';
import { awaitDeliveries, eventsSentBetween, pipelineChecks, sendTracked } from './pipeline-load.js';
import type { Measurement, Scenario } from './scenario.js';

const WARMUP_SECONDS = 2;

/**
 * End-to-end latency: every service running (`instances` of each) and the counting sink as the
 * one endpoint; events POSTed at `e2eRate` per second, evenly spaced, each with its own dedup_id.
 * Latency is the sink's receipt time minus the instant the request was handed to the client (one
 * machine, one clock), so it holds the ingest answer, the processor's wake-up and batch, the
 * BullMQ hand-off, the deliverer's pick-up, signing and sending. A warm-up is sent first and
 * left out of the figures, not out of the checks. The cost per event (commits, Redis commands,
 * CPU of the services, Postgres and Redis) is measured over the steady part of the measured load.
 */
export function e2eScenario(instances: number): Scenario {
  const scaled = instances > 1;
  const name = scaled ? `e2e-x${instances}` : 'e2e';
  const subject = scaled ? `end-to-end ×${instances}` : 'end-to-end';
  return {
    name,
    title: `End-to-end${scaled ? ` with ${instances} of each service` : ''}: accepted → received by the sink`,
    section: scaled
      ? `Scale-out: ${instances} processes of each service`
      : 'End-to-end: accepted → received by a local sink',
    estimateSeconds: (options) => 14 + WARMUP_SECONDS + options.e2eDurationSeconds + 2 * instances,
    run: async ({ options, run, log }) =>
      withPipeline(options, instances, `r${run}`, async ({ pipeline, database, sql, tag, cost }) => {
        const nextBody = createEventBodies(tag);
        const send = (seconds: number) =>
          sendTracked(pipeline, nextBody, options.e2eRate, seconds, options.latencyConnections);
        log(
          `warm-up ${WARMUP_SECONDS} s, then ${options.e2eRate} events/s for ${options.e2eDurationSeconds} s`,
        );
        const warmup = await send(WARMUP_SECONDS);
        await sleep(500);
        const { value: measured, totals } = await measureCost(cost, () => send(options.e2eDurationSeconds));
        const perEvent = costPerEvent(totals, eventsSentBetween([measured], totals.from, totals.to));
        // Long enough for a pipeline that keeps up; one that does not fails its checks instead of
        // stretching the benchmark.
        const outcome = await awaitDeliveries(
          pipeline,
          sql,
          [warmup, measured],
          measured,
          Math.max(20_000, options.e2eDurationSeconds * 2000),
        );
        const { latency } = outcome;
        const work = await pipelineWork(pipeline.services);
        log(
          `→ p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms over ${latency.count} events; ${describeCpu(totals.cpu.report)}`,
        );
        log(describeCost(perEvent));
        log(
          `${work.groupCommits} ingest commits, ${work.processorBatches} processor batches (${work.emptyBatches} empty), ${work.postponedBusy} deliveries postponed for a busy endpoint, ${work.postponedCircuit} for an open circuit`,
        );
        const measurements: Measurement[] = [
          ...LATENCY_FIGURES.map((figure): Measurement => ({
            id: `${name}.latency.${figure}`,
            subject,
            figure: `${figure} @ ${options.e2eRate} events/s`,
            unit: 'ms',
            value: latency[figure],
            better: 'lower',
            ...(scaled ? { ceilings: [`e2e.latency.${figure}`] } : {}),
          })),
          ...costMeasurements(`${name}.cost`, subject, `@ ${options.e2eRate} events/s`, perEvent),
          ...peakRssMeasurements(name, pipeline.services),
        ];
        return {
          measurements,
          checks: pipelineChecks(subject, [warmup, measured], outcome),
          details: {
            database: database.name,
            tuning: Object.fromEntries(pipeline.services.map((service) => [service.name, service.tuning])),
            latency,
            ingestLatency: measured.paced.latency,
            drainSeconds: outcome.drainSeconds,
            cpu: totals.cpu.report,
            cost: { ...perEvent, totals },
            work,
            counts: outcome.counts,
            sink: outcome.sink,
            serviceLog: serviceLog(pipeline.services),
            phases: withoutIds({ warmup: warmup.paced, measured: measured.paced }),
          },
        };
      }),
  };
}
