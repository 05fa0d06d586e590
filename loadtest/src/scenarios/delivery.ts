import { randomBytes } from 'node:crypto';
import { processQueuedBatch, type CreatedDelivery } from '@triggers/db';
import { delivererConfig } from '@triggers/deliverer/config';
import { DEFAULT_DELIVERIES_PER_JOB, createDeliveryQueue, deliveryBatchJobs } from '@triggers/delivery-queue';
import { createBenchDatabase } from '../harness/bench-database.js';
import {
  benchSql,
  countPipelineRows,
  createOrganizationWithEndpoints,
  insertQueueRows,
  queueRows,
} from '../harness/bench-fixtures.js';
import { measureNoopWorker } from '../harness/bullmq-ceilings.js';
import { describeCpu, startCpuWindow } from '../harness/machine-load.js';
import { scrapeMetrics, sumOf } from '../harness/prometheus-text.js';
import { deleteRedisKeys } from '@triggers/testing';
import {
  serviceLog,
  startServices,
  startedAlongside,
  stopAll,
  tuningFromEnv,
} from '../harness/service-process.js';
import { startCountingSink } from '../harness/sink.process.js';
import { waitUntil } from '../harness/wait.js';
import { peakRssMeasurements } from './memory.js';
import type { Check, Measurement, Scenario } from './scenario.js';

/** A deliverer setting as the bench starts it: the bench's environment, or the deliverer's default. */
export const delivererSetting = (name: 'CONCURRENCY' | 'MAX_IN_FLIGHT_PER_ENDPOINT') =>
  delivererConfig.setting(name, tuningFromEnv('deliverer'));

/**
 * Delivery rate: `deliveryJobs` deliveries (events processed into deliveries the real way, jobs
 * added to a paused queue), then the deliverer(s) sending each as a signed webhook to the counting
 * sink, which answers 200 at once. The clock runs from resuming the queue (the deliverers are up by
 * then) until no job is left. The deliveries are spread over as many endpoints as it takes for the
 * deliverer's per-endpoint cap not to hold its concurrency back (200 / 25 = 8 by default), all on
 * the same sink. Ceiling (one-instance variant only): a BullMQ Worker doing nothing, with the same
 * concurrency, over as many jobs.
 */
export function deliveryScenario(instances: number): Scenario {
  const scaled = instances > 1;
  const name = scaled ? `delivery-x${instances}` : 'delivery';
  const subject = scaled ? `deliverer ×${instances}` : 'deliverer';
  return {
    name,
    title: `Delivery${scaled ? ` with ${instances} deliverers` : ''}: signed webhooks to a local sink answering 200`,
    section: scaled
      ? `Scale-out: ${instances} processes of each service`
      : 'Delivery: signed webhooks to a local sink answering 200',
    estimateSeconds: (options) => 12 + options.deliveryJobs / (scaled ? 1200 : 1000),
    run: async ({ options, run, log }) => {
      const tag = `bench-${randomBytes(4).toString('hex')}-r${run}`;
      const redisKeyPrefix = `triggers-${tag}:`;
      const concurrency = delivererSetting('CONCURRENCY');
      const perEndpoint = delivererSetting('MAX_IN_FLIGHT_PER_ENDPOINT');
      const endpoints = options.deliveryEndpoints || Math.max(1, Math.ceil(concurrency / perEndpoint));
      const eventsNeeded = Math.ceil(options.deliveryJobs / endpoints);
      const count = eventsNeeded * endpoints;
      const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
      const sql = benchSql(database.url, 2);
      const queue = createDeliveryQueue({ url: options.redisUrl }, redisKeyPrefix);
      const sink = await startCountingSink();
      try {
        const { organizationId } = await createOrganizationWithEndpoints(
          sql,
          tag,
          Array.from({ length: endpoints }, (_, index) => `${sink.origin}/hooks/${index}`),
        );
        const measurements: Measurement[] = [];
        let ceiling;
        if (!scaled) {
          log(`ceiling: no-op BullMQ worker, concurrency ${concurrency}, over ${count} jobs`);
          ceiling = await measureNoopWorker({
            redisUrl: options.redisUrl,
            redisKeyPrefix: `${redisKeyPrefix}ceiling:`,
            count,
            concurrency,
          });
          log(`→ ${Math.round(ceiling.perSecond)} jobs/s`);
          measurements.push({
            id: 'bullmq-worker.rate',
            subject: 'BullMQ no-op worker',
            figure: `jobs/s, concurrency ${concurrency}`,
            unit: 'jobs/s',
            value: ceiling.perSecond,
            better: 'higher',
            section: 'Ceilings of this machine (same run)',
          });
        }

        // The deliverers start while the deliveries are made: their jobs go to a paused queue.
        log(
          `prefilling ${count} deliveries (${eventsNeeded} events × ${endpoints} endpoints) and their jobs`,
        );
        await queue.pause();
        const starting = startServices('deliverer', instances, {
          databaseUrl: database.url,
          redisUrl: options.redisUrl,
          redisKeyPrefix,
          env: { ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
        });
        const prefill = (async () => {
          await insertQueueRows(sql, queueRows(organizationId, eventsNeeded, tag));
          // Jobs as the processor makes them: each batch's deliveries, grouped by endpoint.
          const batches: CreatedDelivery[][] = [];
          for (;;) {
            const batch = await processQueuedBatch(sql, 1000);
            if (batch.claimed === 0) break;
            batches.push(batch.deliveries);
          }
          await sql`DELETE FROM delivery_handoffs`;
          for (const deliveries of batches) {
            await queue.addBulk(deliveryBatchJobs(deliveries, DEFAULT_DELIVERIES_PER_JOB));
          }
        })();
        const deliverers = await startedAlongside(starting, prefill);
        try {
          const cpu = await startCpuWindow([
            ...deliverers.map((d) => ({ name: d.name, pid: d.child.pid })),
            { name: 'sink', pid: sink.child.pid },
          ]);
          const began = performance.now();
          await queue.resume();
          const ended = await waitUntil(
            async () => {
              const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
              return Object.values(counts).every((n) => n === 0);
            },
            {
              timeoutMs: 60_000 + count * 2,
              intervalMs: 25,
              what: `${count} deliveries done`,
              abortOn: [...deliverers.map((d) => d.child.exited), sink.child.exited],
            },
          );
          const cpuReport = await cpu.finish();
          const seconds = (ended - began) / 1000;
          const rate = count / seconds;
          log(`→ ${Math.round(rate)} deliveries/s (${seconds.toFixed(2)} s); ${describeCpu(cpuReport)}`);

          const counts = await countPipelineRows(sql);
          const received = await sink.stats();
          const scraped = await Promise.all(deliverers.map((d) => scrapeMetrics(d.metricsOrigin)));
          const perDeliverer = scraped.map((s) =>
            sumOf(s, 'triggers_deliveries_total', { outcome: 'delivered' }),
          );
          const deferrals = scraped.reduce(
            (sum, s) => sum + sumOf(s, 'triggers_delivery_circuit_deferrals_total'),
            0,
          );
          const retries = scraped.reduce((sum, s) => sum + sumOf(s, 'triggers_delivery_retries_total'), 0);
          const checks: Check[] = [
            {
              name: `${subject}: every delivery delivered, each attempted once`,
              ok: counts.delivered === count && counts.attempts === count,
              severity: 'error',
              detail: `${counts.delivered} of ${count} delivered, ${counts.attempts} attempts recorded, ${retries} retries; delivered counters ${perDeliverer.join(' + ')}`,
            },
            {
              name: `${subject}: the sink received each delivery exactly once`,
              ok: received.received === count && received.distinctWebhookIds === count,
              severity: 'error',
              detail: `${received.received} requests for ${received.distinctWebhookIds} distinct webhook-ids (${received.duplicates} sent twice)`,
            },
            {
              name: `${subject}: no job postponed by the per-endpoint cap or a circuit`,
              ok: deferrals === 0,
              severity: 'warn',
              detail: `${deferrals} deferrals`,
            },
          ];
          measurements.push(
            {
              id: `${name}.rate`,
              subject,
              figure: `deliveries/s, ${count.toLocaleString('en-US')} prefilled, concurrency ${concurrency}`,
              unit: 'deliveries/s',
              value: rate,
              better: 'higher',
              ceilings: scaled ? ['delivery.rate', 'bullmq-worker.rate'] : ['bullmq-worker.rate'],
            },
            ...peakRssMeasurements(name, deliverers),
          );
          return {
            measurements,
            checks,
            details: {
              database: database.name,
              tuning: deliverers[0]?.tuning,
              endpoints,
              seconds,
              ceiling,
              cpu: cpuReport,
              deliveredPerDeliverer: perDeliverer,
              deferrals,
              counts,
              sink: received,
              serviceLog: serviceLog(deliverers),
            },
          };
        } finally {
          await stopAll(deliverers);
        }
      } finally {
        await sink.stop();
        await queue.close();
        await sql.end();
        await database.drop();
        await deleteRedisKeys(options.redisUrl, redisKeyPrefix).catch(() => undefined);
      }
    },
  };
}
