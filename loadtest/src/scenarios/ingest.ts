import { randomBytes } from 'node:crypto';
import { findMissingAcceptedRows } from '../harness/accepted-rows.js';
import { createApiKey } from '../harness/admin-client.js';
import { createBenchDatabase } from '../harness/bench-database.js';
import { createEventBodies } from '../harness/event-body.js';
import { deleteRedisKeys } from '@triggers/testing';
import { serviceLog, startServices, stopAll } from '../harness/service-process.js';
import {
  acceptedIdsOf,
  endpointChecks,
  endpointMeasurements,
  measureEndpoint,
  phaseSeconds,
  withoutIds,
} from './endpoint-phases.js';
import { peakRssMeasurements } from './memory.js';
import type { Check, Scenario } from './scenario.js';

/** The seed design's published figures, printed beside ours. */
const SEED_MAX_RATE = { value: 150, text: '~150 req/s' };
const SEED_P95 = { value: 9.2, text: '9.2 ms' };

/**
 * The real ingest API on a fresh database and Redis prefix: latency at each fixed arrival rate and
 * maximum sustained rate, then proof that every 202 it answered has its row in Postgres. With
 * `instances` > 1 (scale-out), that many API processes share the load and only the maximum rate
 * is measured, read against one instance's.
 */
export function ingestScenario(instances: number): Scenario {
  const scaled = instances > 1;
  const name = scaled ? `ingest-x${instances}` : 'ingest';
  const subject = scaled ? `ingest API ×${instances}` : 'ingest API';
  const phases = { latency: !scaled };
  return {
    name,
    title: `Ingest API${scaled ? ` × ${instances} processes` : ''}: POST /api/events`,
    section: scaled ? `Scale-out: ${instances} processes of each service` : 'Ingest: POST /api/events',
    // Database creation and migrations, service start-up (tsx compiles on the fly), verification.
    estimateSeconds: (options) => phaseSeconds(options, phases) + 8 + 2 * instances,
    run: async ({ options, run, log }) => {
      const tag = `bench-${randomBytes(4).toString('hex')}-r${run}`;
      const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
      const redisKeyPrefix = `triggers-${tag}:`;
      log(`database ${database.name}, redis prefix ${redisKeyPrefix}`);
      try {
        const adminToken = randomBytes(24).toString('hex');
        const apis = await startServices('ingest-api', instances, {
          databaseUrl: database.url,
          redisUrl: options.redisUrl,
          redisKeyPrefix,
          adminToken,
        });
        try {
          const origins = apis.map((api) => api.origin!);
          const apiKey = await createApiKey(origins[0]!, adminToken, tag);
          const measured = await measureEndpoint(
            {
              origin: origins,
              path: '/api/events',
              headers: { authorization: `Bearer ${apiKey}` },
              nextBody: createEventBodies(tag),
            },
            options,
            log,
            phases,
            apis.map((api) => ({ name: api.name, pid: api.child.pid })),
          );
          // Checked while the service still runs: a row that appears only at shutdown would
          // still be a broken promise, since 202 must mean already committed.
          const { ids, withoutId: acceptedWithoutId } = acceptedIdsOf(measured);
          const rows = await findMissingAcceptedRows(database.url, ids);
          log(`verified ${rows.checked} accepted ids: ${rows.missing.length} missing`);
          const logged = serviceLog(apis);
          for (const [service, lines] of Object.entries(logged)) {
            log(`${service} logged at warn or above; last lines:\n${lines.slice(-5).join('\n')}`);
          }
          const checks: Check[] = [
            {
              name: `${subject}: every 202 has its row in Postgres`,
              ok: rows.missing.length === 0 && acceptedWithoutId === 0 && rows.checked > 0,
              severity: 'error',
              detail:
                (rows.checked === 0
                  ? 'no 202 answer to check: see the status checks and the service log in the results file'
                  : `${rows.missing.length} missing of ${rows.checked} accepted`) +
                (acceptedWithoutId > 0 ? `, ${acceptedWithoutId} 202 answers without an id` : '') +
                (rows.missing.length > 0 ? `; first missing: ${rows.missing.slice(0, 5).join(', ')}` : ''),
            },
            {
              name: `${subject}: every unique body got its own id`,
              ok: rows.duplicates === 0,
              severity: 'warn',
              detail: `${rows.duplicates} ids answered more than once`,
            },
            ...endpointChecks(measured, subject),
          ];
          return {
            measurements: [
              ...endpointMeasurements(
                measured,
                scaled
                  ? { prefix: name, subject, ceilings: ['ingest', 'bare-express'] }
                  : {
                      prefix: 'ingest',
                      subject,
                      ceilings: ['bare-express', 'bare-http', 'bare-express-durable'],
                      rateReference: SEED_MAX_RATE,
                      latencyReferences: { p95: SEED_P95 },
                    },
              ),
              ...peakRssMeasurements(name, apis),
            ],
            checks,
            details: {
              database: database.name,
              redisKeyPrefix,
              tuning: apis[0]?.tuning,
              cpu: measured.maxRateCpu,
              serviceLog: logged,
              verification: {
                checked: rows.checked,
                duplicates: rows.duplicates,
                missing: rows.missing.slice(0, 100),
              },
              phases: withoutIds(measured),
            },
          };
        } finally {
          await stopAll(apis);
        }
      } finally {
        await database.drop();
        await deleteRedisKeys(options.redisUrl, redisKeyPrefix).catch((error: Error) =>
          log(`could not delete redis keys ${redisKeyPrefix}*: ${error.message}`),
        );
      }
    },
  };
}
