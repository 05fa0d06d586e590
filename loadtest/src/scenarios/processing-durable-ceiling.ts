import { randomBytes } from 'node:crypto';
import { createDeliveryQueue, deliveryJobs } from '@triggers/delivery-queue';
import { deleteRedisKeys } from '@triggers/testing';
import type postgres from 'postgres';
import { createBenchDatabase } from '../harness/bench-database.js';
import {
  benchSql,
  countPipelineRows,
  createOrganizationWithEndpoints,
  insertQueueRows,
  queueRows,
} from '../harness/bench-fixtures.js';
import { describeCpu, startCpuWindow } from '../harness/machine-load.js';
import { processorBatching } from '../harness/processor-batching.js';
import type { Scenario } from './scenario.js';

/** The figure processing reads against first, and its target. */
export const PROCESSING_DURABLE_CEILING_ID = 'processing-durable-ceiling.rate';

/**
 * Ceiling: the durable work no processor can avoid, alone. For each event, its row in `events` and
 * one delivery row (one endpoint), the two INSERTed by one statement per batch, each batch its own
 * commit, then the batch's jobs added to BullMQ with addBulk; batches of `BATCH_SIZE`,
 * `BATCH_CONCURRENCY` at once, each leaving up to `MAX_INFLIGHT_HANDOFFS` addBulk calls running
 * while it writes the next, as the processor's loops do. The rows are those of the processing
 * scenario, written into event_queue by the ingest API's own INSERT and copied before the clock
 * starts into a staging table the batches read by key: the processor, too, finds its rows in
 * Postgres rather than receiving them. Into the migrated schema, its indexes and reference checks
 * included. Left out: what the processor does besides (claiming and deleting queue rows, matching
 * endpoint filters, the hand-off row and its confirmation). Jobs are built before the clock starts.
 */
export const processingDurableCeilingScenario: Scenario = {
  name: 'processing-durable-ceiling',
  title: 'Ceiling: INSERT of events + deliveries and addBulk of their jobs, in the processor’s batches',
  section: 'Ceilings of this machine (same run)',
  estimateSeconds: (options) => 6 + options.processingEvents / 6000,
  run: async ({ options, run, log }) => {
    const count = options.processingEvents;
    const { batchSize, concurrency, inFlight } = processorBatching();
    const warm = batchSize * concurrency;
    const tag = `bench-${randomBytes(4).toString('hex')}-r${run}`;
    const redisKeyPrefix = `triggers-${tag}:`;
    const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
    const sql = benchSql(database.url, concurrency);
    const queue = createDeliveryQueue({ url: options.redisUrl }, redisKeyPrefix);
    try {
      const { organizationId, endpointIds } = await createOrganizationWithEndpoints(sql, tag, [
        'http://127.0.0.1:9/not-called',
      ]);
      const endpointId = endpointIds[0]!;
      log(`staging ${warm + count} events`);
      await insertQueueRows(sql, queueRows(organizationId, warm + count, tag));
      const staged = await stageRows(sql);
      const ranges: [number, number][] = [];
      for (let from = warm; from < staged.length; from += batchSize) {
        ranges.push([from, Math.min(from + batchSize, staged.length)]);
      }
      const jobs = ranges.map(([from, to]) =>
        deliveryJobs(
          staged
            .slice(from, to)
            .map((row) => ({ id: row.deliveryId, eventId: row.id, endpointId, organizationId })),
        ),
      );
      await queue.waitUntilReady();
      // Warm-up: connections opened and the statement prepared on each.
      await Promise.all(
        Array.from({ length: concurrency }, (_, i) =>
          insertBatch(sql, endpointId, i * batchSize, (i + 1) * batchSize),
        ),
      );

      log(
        `${count} events: INSERT events + deliveries, then addBulk; ${batchSize} per batch, ${concurrency} at once, ${inFlight} addBulk in flight each`,
      );
      const cpu = await startCpuWindow([]);
      const began = performance.now();
      let next = 0;
      let failure: unknown;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          const handoffs = new Set<Promise<void>>();
          while (next < ranges.length && failure === undefined) {
            const index = next++;
            const [from, to] = ranges[index]!;
            await insertBatch(sql, endpointId, from, to);
            if (handoffs.size >= inFlight) await Promise.race(handoffs);
            const handoff: Promise<void> = queue
              .addBulk(jobs[index]!)
              .then(
                () => undefined,
                (error: unknown) => {
                  failure ??= error;
                },
              )
              .finally(() => handoffs.delete(handoff));
            handoffs.add(handoff);
          }
          await Promise.all(handoffs);
        }),
      );
      if (failure !== undefined) throw failure;
      const seconds = (performance.now() - began) / 1000;
      const cpuReport = await cpu.finish();
      const rate = count / seconds;
      log(`→ ${Math.round(rate)} events/s (${seconds.toFixed(2)} s); ${describeCpu(cpuReport)}`);

      const counts = await countPipelineRows(sql);
      const waiting = await queue.getWaitingCount();
      return {
        measurements: [
          {
            id: PROCESSING_DURABLE_CEILING_ID,
            subject: 'INSERT + addBulk',
            figure: `events/s: event and delivery rows, then jobs; ${batchSize} per batch, ${concurrency} at once`,
            unit: 'events/s',
            value: rate,
            better: 'higher',
            ceilings: ['bullmq-addbulk.rate'],
          },
        ],
        checks: [
          {
            name: 'INSERT + addBulk ceiling: every row and job written once',
            ok: counts.events === count + warm && counts.deliveries === count + warm && waiting === count,
            severity: 'error',
            detail: `${counts.events - warm} events and ${counts.deliveries - warm} deliveries stored, ${waiting} jobs waiting, of ${count}`,
          },
        ],
        details: { database: database.name, batchSize, concurrency, inFlight, seconds, cpu: cpuReport },
      };
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await sql.end();
      await database.drop();
      await deleteRedisKeys(options.redisUrl, redisKeyPrefix).catch(() => undefined);
    }
  },
};

/**
 * Moves the queued rows into `durable_ceiling_rows`, numbered from 0 in queue order, each with the
 * id its delivery will have; returns those ids in order. The queue is left empty, as a processor
 * leaves it.
 */
async function stageRows(sql: postgres.Sql): Promise<{ id: string; deliveryId: string }[]> {
  await sql`
    CREATE TABLE durable_ceiling_rows AS
    SELECT (row_number() OVER (ORDER BY seq) - 1)::int AS n, gen_random_uuid() AS delivery_id,
           id, organization_id, type, payload, dedup_id, occurred_at, received_at
    FROM event_queue`;
  await sql`ALTER TABLE durable_ceiling_rows ADD PRIMARY KEY (n)`;
  await sql`TRUNCATE event_queue`;
  // Statistics and visibility settled, so each batch reads its rows through the key.
  await sql`VACUUM ANALYZE durable_ceiling_rows`;
  return sql<{ id: string; deliveryId: string }[]>`
    SELECT id, delivery_id AS "deliveryId" FROM durable_ceiling_rows ORDER BY n`;
}

/**
 * Rows `from` (inclusive) to `to` (exclusive) stored as events with one delivery each, by one
 * statement and so one commit, as the processor's batch statement stores them.
 */
async function insertBatch(sql: postgres.Sql, endpointId: string, from: number, to: number): Promise<void> {
  await sql`
    WITH input AS (
      SELECT * FROM durable_ceiling_rows WHERE n >= ${from} AND n < ${to}
    ), stored AS (
      INSERT INTO events (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
      SELECT id, organization_id, type, payload, dedup_id, occurred_at, received_at FROM input
    )
    INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
    SELECT delivery_id, organization_id, id, ${endpointId}::uuid FROM input`;
}
