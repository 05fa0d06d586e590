import { createEventBodies } from '../harness/event-body.js';
import { withPipeline } from '../harness/pipeline-run.js';
import { serviceLog } from '../harness/service-process.js';
import { SOAK_GROWTH_BOUND, rssThroughWindow, toMB, withinGrowthBound } from './memory.js';
import { awaitDeliveries, pipelineChecks, sendTracked } from './pipeline-load.js';
import type { Check, Measurement, Scenario } from './scenario.js';

const WARMUP_SECONDS = 5;

/**
 * `--soak S`: every service (`--scale` of each) under a sustained load of `soakRate` events per
 * second for S seconds, after a warm-up; each service's RSS at the start, middle and end of the
 * window and its growth, checked against SOAK_GROWTH_BOUND; every event must still arrive once.
 * Runs once, after the repeated runs.
 */
export const soakScenario: Scenario = {
  name: 'soak',
  title: 'Memory soak: sustained load on every service',
  section: 'Memory under sustained load (soak)',
  once: true,
  estimateSeconds: (options) => 15 + WARMUP_SECONDS + options.soakSeconds,
  run: async ({ options, run, log }) => {
    return withPipeline(options, options.scale, `soak${run}`, async ({ pipeline, database, sql, tag }) => {
      const nextBody = createEventBodies(tag);
      const send = (seconds: number) =>
        sendTracked(pipeline, nextBody, options.soakRate, seconds, options.latencyConnections);
      log(`warm-up ${WARMUP_SECONDS} s, then ${options.soakRate} events/s for ${options.soakSeconds} s`);
      const warmup = await send(WARMUP_SECONDS);
      const from = performance.now();
      const measured = await send(options.soakSeconds);
      const to = performance.now();
      const outcome = await awaitDeliveries(pipeline, sql, [warmup, measured], measured, 60_000);
      const measurements: Measurement[] = [];
      const checks: Check[] = [...pipelineChecks('soak', [warmup, measured], outcome)];
      const memory: Record<string, { startMB: number; middleMB: number; endMB: number; growthMB: number }> =
        {};
      for (const service of [...pipeline.services, { name: 'sink', child: pipeline.sink.child }]) {
        const rss = rssThroughWindow(service.child.usage().samples, from, to);
        const [startMB, middleMB, endMB] = [toMB(rss.start), toMB(rss.middle), toMB(rss.end)];
        const growthMB = endMB - startMB;
        memory[service.name] = { startMB, middleMB, endMB, growthMB };
        log(
          `${service.name}: RSS ${startMB.toFixed(0)} → ${middleMB.toFixed(0)} → ${endMB.toFixed(0)} MB (${growthMB >= 0 ? '+' : ''}${growthMB.toFixed(1)} MB)`,
        );
        if (service.name === 'sink') continue; // the bench's own receiver keeps every receipt on purpose
        const figure = (label: string, id: string, value: number): Measurement => ({
          id: `soak.${service.name}.${id}`,
          subject: service.name,
          figure: label,
          unit: 'MB',
          value,
          better: 'lower',
        });
        measurements.push(
          figure('RSS at start of soak', 'rss-start', startMB),
          figure('RSS at middle', 'rss-middle', middleMB),
          figure('RSS at end', 'rss-end', endMB),
          figure('RSS growth start → end', 'rss-growth', growthMB),
        );
        checks.push({
          name: `soak: ${service.name} memory flat (growth ≤ max(${SOAK_GROWTH_BOUND.mb} MB, ${SOAK_GROWTH_BOUND.share * 100}%))`,
          ok: withinGrowthBound(startMB, endMB),
          severity: 'warn',
          detail: `${startMB.toFixed(1)} → ${middleMB.toFixed(1)} → ${endMB.toFixed(1)} MB over ${options.soakSeconds} s at ${options.soakRate} events/s`,
        });
      }
      measurements.push({
        id: 'soak.e2e.p95',
        subject: 'end-to-end during soak',
        figure: `p95 @ ${options.soakRate} events/s`,
        unit: 'ms',
        value: outcome.latency.p95,
        better: 'lower',
      });
      return {
        measurements,
        checks,
        details: {
          database: database.name,
          seconds: options.soakSeconds,
          rate: options.soakRate,
          memory,
          latency: outcome.latency,
          ingestLatency: measured.paced.latency,
          counts: outcome.counts,
          sink: outcome.sink,
          serviceLog: serviceLog(pipeline.services),
        },
      };
    });
  },
};
