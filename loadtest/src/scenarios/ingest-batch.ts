import { randomBytes } from 'node:crypto';
import { findMissingAcceptedRows } from '../harness/accepted-rows.js';
import { createApiKey } from '../harness/admin-client.js';
import { runClosedLoop } from '../harness/autocannon.js';
import { createBenchDatabase } from '../harness/bench-database.js';
import { sleep } from '../harness/child-process.js';
import { describeCpu, startCpuWindow } from '../harness/machine-load.js';
import { createEventBodies } from '../harness/event-body.js';
import { deleteRedisKeys } from '@triggers/testing';
import { batchIds, countOtherThan } from '../harness/response-collector.js';
import { serviceLog, startServices, stopAll } from '../harness/service-process.js';
import { withoutIds } from './endpoint-phases.js';
import { peakRssMeasurements } from './memory.js';
import type { Scenario } from './scenario.js';

/**
 * Batch ingest: `POST /api/events/batch` with `batchSize` unique events per request, closed loop
 * over `batchConnections` connections; the figure is events accepted per second, read against the
 * raw Postgres INSERT ceiling, and every accepted event must have its row.
 */
export const ingestBatchScenario: Scenario = {
  name: 'ingest-batch',
  title: 'Ingest API: POST /api/events/batch',
  section: 'Batch ingest: POST /api/events/batch',
  estimateSeconds: (options) => Math.max(1, options.warmupSeconds) + options.durationSeconds + 10,
  run: async ({ options, run, log }) => {
    const tag = `bench-${randomBytes(4).toString('hex')}-r${run}`;
    const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
    const redisKeyPrefix = `triggers-${tag}:`;
    try {
      const adminToken = randomBytes(24).toString('hex');
      const apis = await startServices('ingest-api', 1, {
        databaseUrl: database.url,
        redisUrl: options.redisUrl,
        redisKeyPrefix,
        adminToken,
      });
      try {
        const origin = apis[0]!.origin!;
        const apiKey = await createApiKey(origin, adminToken, tag);
        const nextEvent = createEventBodies(tag);
        const load = {
          origin,
          path: '/api/events/batch',
          headers: { authorization: `Bearer ${apiKey}` },
          nextBody: () => `{"events":[${Array.from({ length: options.batchSize }, nextEvent).join(',')}]}`,
          connections: options.batchConnections,
          idsOf: batchIds,
        };
        const warmup = await runClosedLoop({ ...load, durationSeconds: Math.max(1, options.warmupSeconds) });
        await sleep(500);
        log(
          `${options.batchSize}-event batches, ${options.batchConnections} connections for ${options.durationSeconds} s`,
        );
        const cpu = await startCpuWindow(apis.map((api) => ({ name: api.name, pid: api.child.pid })));
        const measured = await runClosedLoop({ ...load, durationSeconds: options.durationSeconds });
        const cpuReport = await cpu.finish();
        log(
          `→ ${Math.round(measured.idsPerSecond)} events/s (${Math.round(measured.acceptedPerSecond)} batches/s); ${describeCpu(cpuReport)}`,
        );
        const ids = [...warmup.acceptedIds, ...measured.acceptedIds];
        const rows = await findMissingAcceptedRows(database.url, ids);
        log(`verified ${rows.checked} accepted ids: ${rows.missing.length} missing`);
        const other = countOtherThan(measured.statusCounts, 202);
        return {
          measurements: [
            {
              id: 'ingest-batch.rate',
              subject: 'batch ingest',
              figure: `events/s, ${options.batchSize} per request`,
              unit: 'events/s',
              value: measured.idsPerSecond,
              better: 'higher',
              ceilings: ['postgres-insert.rate'],
            },
            ...peakRssMeasurements('ingest-batch', apis),
          ],
          checks: [
            {
              name: 'batch ingest: every accepted event has its row in Postgres',
              ok:
                rows.missing.length === 0 &&
                rows.checked > 0 &&
                warmup.acceptedWithoutId + measured.acceptedWithoutId === 0,
              severity: 'error',
              detail:
                `${rows.missing.length} missing of ${rows.checked} accepted, ${rows.duplicates} ids answered twice` +
                (rows.missing.length > 0 ? `; first missing: ${rows.missing.slice(0, 5).join(', ')}` : ''),
            },
            {
              name: 'batch ingest: every answer is 202',
              ok: other === 0 && measured.errors === 0,
              severity: 'warn',
              detail: `${other} non-202 (${JSON.stringify(measured.statusCounts)}), ${measured.errors} connection errors; sample bodies ${JSON.stringify(measured.sampleBodies)}`,
            },
          ],
          details: {
            database: database.name,
            tuning: apis[0]?.tuning,
            cpu: cpuReport,
            serviceLog: serviceLog(apis),
            batchLatencyMs: measured.latency,
            phases: withoutIds({ warmup, measured }),
          },
        };
      } finally {
        await stopAll(apis);
      }
    } finally {
      await database.drop();
      await deleteRedisKeys(options.redisUrl, redisKeyPrefix).catch(() => undefined);
    }
  },
};
