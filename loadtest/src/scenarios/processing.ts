import { randomBytes } from 'node:crypto';
import { notifyEventsQueued } from '@triggers/db';
import type { Queue } from 'bullmq';
import { createDeliveryQueue, deliveryIdsOf, type DeliveryQueueData } from '@triggers/delivery-queue';
import { createBenchDatabase } from '../harness/bench-database.js';
import {
  benchSql,
  countPipelineRows,
  countRows,
  createOrganizationWithEndpoints,
  insertQueueRows,
  queueRows,
} from '../harness/bench-fixtures.js';
import { measureAddBulk } from '../harness/bullmq-ceilings.js';
import { describeCpu, startCpuWindow } from '../harness/machine-load.js';
import { processorBatching } from '../harness/processor-batching.js';
import { scrapeMetrics, sumOf, type PrometheusSample } from '../harness/prometheus-text.js';
import { deleteRedisKeys } from '@triggers/testing';
import { serviceLog, startServices, startedAlongside, stopAll } from '../harness/service-process.js';
import { waitUntil } from '../harness/wait.js';
import { peakRssMeasurements } from './memory.js';
import { PROCESSING_DURABLE_CEILING_ID } from './processing-durable-ceiling.js';
import type { Check, Measurement, Scenario } from './scenario.js';

const SEED_PROCESSING = { value: 1000, text: '500–1,000 events/s' };

/**
 * Processing rate: `processingEvents` events prefilled in event_queue for an organization with one
 * enabled endpoint, then the processor(s) move them into events + deliveries and hand one job per
 * delivery to BullMQ. The prefill is committed in one transaction only once the processors are
 * up, so their start-up is not timed: the clock runs from COMMIT until every delivery's job is waiting in
 * BullMQ. Ceilings: the durable work alone (`processing-durable-ceiling`, its own scenario), and
 * (one-instance variant only, measured here) addBulk of as many jobs of the same shape into an
 * empty queue, in the processor's batch size with its number of calls in flight.
 */
export function processingScenario(instances: number): Scenario {
  const scaled = instances > 1;
  const name = scaled ? `processing-x${instances}` : 'processing';
  const subject = scaled ? `processor ×${instances}` : 'processor';
  return {
    name,
    title: `Processing${scaled ? ` with ${instances} processors` : ''}: event_queue → events + deliveries → BullMQ`,
    section: scaled
      ? `Scale-out: ${instances} processes of each service`
      : 'Processing: prefilled event_queue → events + deliveries → BullMQ jobs',
    estimateSeconds: (options) => 10 + options.processingEvents / (scaled ? 5000 : 4000),
    run: async ({ options, run, log }) => {
      const count = options.processingEvents;
      const tag = `bench-${randomBytes(4).toString('hex')}-r${run}`;
      const redisKeyPrefix = `triggers-${tag}:`;
      const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
      const sql = benchSql(database.url, 2);
      const queue = createDeliveryQueue({ url: options.redisUrl }, redisKeyPrefix);
      const { batchSize, inFlight } = processorBatching();
      try {
        const { organizationId } = await createOrganizationWithEndpoints(sql, tag, [
          // Never called: no deliverer runs here.
          'http://127.0.0.1:9/not-called',
        ]);
        const measurements: Measurement[] = [];
        let ceiling;
        if (!scaled) {
          log(`ceiling: addBulk of ${count} jobs, ${batchSize} per call, ${inFlight} in flight`);
          ceiling = await measureAddBulk({
            redisUrl: options.redisUrl,
            redisKeyPrefix: `${redisKeyPrefix}ceiling:`,
            count,
            chunkSize: batchSize,
            inFlight,
          });
          log(`→ ${Math.round(ceiling.perSecond)} jobs/s`);
          measurements.push({
            id: 'bullmq-addbulk.rate',
            subject: 'BullMQ addBulk',
            figure: `jobs/s into an empty queue, ${batchSize} per call`,
            unit: 'jobs/s',
            value: ceiling.perSecond,
            better: 'higher',
            section: 'Ceilings of this machine (same run)',
          });
        }

        // The processors start while the prefill is written: the rows stay invisible to them until
        // COMMIT, and their start-up (tsx compiles on start) overlaps with the prefill's.
        log(`prefilling ${count} events (uncommitted until the processors are up)`);
        const reserved = await sql.reserve();
        const starting = startServices('processor', instances, {
          databaseUrl: database.url,
          redisUrl: options.redisUrl,
          redisKeyPrefix,
        });
        let processors;
        let began: number;
        let scrapedBefore: PrometheusSample[][];
        try {
          const prefill = (async () => {
            await reserved`BEGIN`;
            await insertQueueRows(reserved, queueRows(organizationId, count, tag));
          })();
          processors = await startedAlongside(starting, prefill);
          // Counters before the clock starts: the idle polls of start-up are not the measurement's.
          scrapedBefore = await Promise.all(processors.map((p) => scrapeMetrics(p.metricsOrigin)));
          began = performance.now();
          await reserved`COMMIT`;
          // What the ingest API does after a commit: the processors wake now, not at their next poll.
          await notifyEventsQueued(reserved);
        } finally {
          reserved.release();
        }
        try {
          const cpu = await startCpuWindow(processors.map((p) => ({ name: p.name, pid: p.child.pid })));
          // Done when the queue is empty and every hand-off is confirmed (its jobs added); a job
          // carries several deliveries, so BullMQ's job count does not tell.
          const ended = await waitUntil(async () => await handedOver(sql), {
            timeoutMs: 60_000 + count,
            intervalMs: 25,
            what: `${count} deliveries handed to BullMQ`,
            abortOn: processors.map((p) => p.child.exited),
          });
          const cpuReport = await cpu.finish();
          const seconds = (ended - began) / 1000;
          const rate = count / seconds;
          log(`→ ${Math.round(rate)} events/s (${seconds.toFixed(2)} s); ${describeCpu(cpuReport)}`);

          // Hand-offs are confirmed just after addBulk returns; give the last one a moment.
          await waitUntil(async () => (await countRows(sql, 'delivery_handoffs')) === 0, {
            timeoutMs: 10_000,
            what: 'hand-offs confirmed',
          }).catch(() => undefined);
          const counts = await countPipelineRows(sql);
          const waiting = await waitingDeliveries(queue);
          const scraped = await Promise.all(processors.map((p) => scrapeMetrics(p.metricsOrigin)));
          const perProcessor = scraped.map((samples) => sumOf(samples, 'triggers_events_processed_total'));
          const processed = perProcessor.reduce((a, b) => a + b, 0);
          const enqueued = scraped.reduce(
            (sum, s) => sum + sumOf(s, 'triggers_delivery_jobs_enqueued_total'),
            0,
          );
          const swept = scraped.reduce((sum, s) => sum + sumOf(s, 'triggers_sweeper_reenqueued_total'), 0);
          const failures = scraped.reduce(
            (sum, s) =>
              sum +
              sumOf(s, 'triggers_process_batch_failures_total') +
              sumOf(s, 'triggers_delivery_handoff_failures_total'),
            0,
          );
          const during = (metric: string) =>
            scraped.reduce(
              (sum, s, index) => sum + sumOf(s, metric) - sumOf(scrapedBefore[index]!, metric),
              0,
            );
          const batches = during('triggers_process_batch_duration_seconds_count');
          const batchSeconds = during('triggers_process_batch_duration_seconds_sum');
          log(
            `${batches} batch transactions, ${((batchSeconds / Math.max(1, batches)) * 1000).toFixed(1)} ms each on average (${Math.round((batchSeconds / instances / seconds) * 100)}% of the time in them)`,
          );
          const checks: Check[] = [
            {
              name: `${subject}: every queued event stored exactly once`,
              ok: counts.queued === 0 && counts.events === count && processed === count,
              severity: 'error',
              detail: `${counts.events} events stored of ${count} queued, ${counts.queued} left in the queue, processed counters ${perProcessor.join(' + ')} = ${processed}`,
            },
            {
              name: `${subject}: one delivery per event (one endpoint)`,
              ok: counts.deliveries === count && counts.eventsWithDeliveries === count,
              severity: 'error',
              detail: `${counts.deliveries} deliveries for ${counts.eventsWithDeliveries} distinct events`,
            },
            {
              name: `${subject}: every delivery in a waiting BullMQ job, every hand-off confirmed`,
              ok: waiting === count && enqueued === count && counts.handoffs === 0 && swept === 0,
              severity: 'error',
              detail: `${waiting} deliveries waiting in jobs, ${enqueued} enqueued by the processors, ${swept} re-added by a sweeper, ${counts.handoffs} hand-offs unconfirmed, ${failures} batch or hand-off failures`,
            },
          ];
          measurements.push(
            {
              id: `${name}.rate`,
              subject,
              figure: `events/s, ${count.toLocaleString('en-US')} prefilled, 1 endpoint`,
              unit: 'events/s',
              value: rate,
              better: 'higher',
              ceilings: scaled
                ? ['processing.rate', PROCESSING_DURABLE_CEILING_ID]
                : [PROCESSING_DURABLE_CEILING_ID, 'bullmq-addbulk.rate'],
              ...(scaled ? {} : { reference: SEED_PROCESSING }),
            },
            ...peakRssMeasurements(name, processors),
          );
          return {
            measurements,
            checks,
            details: {
              database: database.name,
              tuning: processors[0]?.tuning,
              seconds,
              ceiling,
              cpu: cpuReport,
              eventsPerProcessor: perProcessor,
              batchTransactions: { count: batches, averageMs: (batchSeconds / Math.max(1, batches)) * 1000 },
              counts,
              serviceLog: serviceLog(processors),
            },
          };
        } finally {
          await stopAll(processors);
        }
      } finally {
        await queue.close();
        await sql.end();
        await database.drop();
        await deleteRedisKeys(options.redisUrl, redisKeyPrefix).catch(() => undefined);
      }
    },
  };
}

async function handedOver(sql: ReturnType<typeof benchSql>): Promise<boolean> {
  const [row] = await sql<{ done: boolean }[]>`
    SELECT NOT EXISTS (SELECT 1 FROM event_queue) AND NOT EXISTS (SELECT 1 FROM delivery_handoffs) AS done`;
  return row!.done;
}

/** Deliveries carried by the jobs waiting in BullMQ. */
async function waitingDeliveries(queue: Queue<DeliveryQueueData>): Promise<number> {
  const jobs = await queue.getJobs(['waiting']);
  return jobs.reduce((sum, job) => sum + deliveryIdsOf(job.data).length, 0);
}
