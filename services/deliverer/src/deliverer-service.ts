import { DelayedError, type Job, type Worker } from 'bullmq';
import { Agent } from 'undici';
import {
  createDatabase,
  isRefusedRowError,
  loadDeliveriesToSend,
  pingDatabase,
  recordAttempts,
  retryTransient,
  writeIsolatingRefusedRows,
  type DatabaseClient,
  type Sql,
  type TransactionSql,
} from '@triggers/db';
import { CircuitBreaker } from '@triggers/circuit-breaker';
import {
  createDeliveryQueue,
  createDeliveryWorker,
  isDeliveryBatch,
  type DeliveryBatchData,
  type DeliveryJobData,
  type DeliveryQueue,
  type DeliveryQueueData,
} from '@triggers/delivery-queue';
import {
  GroupCommitter,
  PeriodicTask,
  Readiness,
  createMetricsRegistry,
  type IsolatedWrite,
  type Logger,
  type Registry,
} from '@triggers/runtime';
import { guardedLookup } from '@triggers/webhooks';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { deliverBatch } from './deliver-batch.js';
import { deliverJob, type DeliverJobDeps } from './deliver-job.js';
import { DeliveryBudget } from './delivery-budget.js';
import { EndpointSlots } from './endpoint-slots.js';
import { createDelivererMetrics } from './metrics.js';
import { requeueOrphanedDeliveries } from './reconciler.js';

/** About 3 s of waiting in all (0.1, 0.2, 0.4, 0.8, 1.6 s), within the time a flush may take (DB_BATCH_TIMEOUT_MS). */
const RECORD_RETRIES = { retries: 5, minTimeoutMs: 100 };

/**
 * Row isolation for one of the deliverer's batched statements: when Postgres refuses one job's
 * row, the batch runs again in one transaction in which only that row's job fails (each job gets
 * its own outcome), waiting out blips like the batched statement itself.
 */
function isolating<Row, Result>(
  sql: Sql,
  statement: (trx: TransactionSql, rows: Row[]) => Promise<Result>,
  orderBy?: (group: readonly Row[]) => string,
): IsolatedWrite<Row, Result> {
  return {
    refuses: isRefusedRowError,
    write: (groups, firstError) =>
      retryTransient(
        () => writeIsolatingRefusedRows(sql, groups, statement, firstError, { orderBy }),
        RECORD_RETRIES,
      ),
  };
}

export interface DelivererService {
  registry: Registry;
  readiness: Readiness;
  database: DatabaseClient;
  queue: DeliveryQueue;
  worker: Worker<DeliveryQueueData>;
  reconciler: PeriodicTask;
  start: () => void;
  /** Stops taking jobs, lets in-flight deliveries finish and be recorded, then closes every client. */
  stop: () => Promise<void>;
}

/** Builds every part of the deliverer from its configuration; no job is taken until `start()`. */
export function buildDelivererService(config: Config, log: Logger): DelivererService {
  const database = createDatabase({
    url: config.db.url,
    maxConnections: config.db.poolSize,
    applicationName: 'triggers-deliverer',
  });
  const queue = createDeliveryQueue(
    { url: config.redis.url, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    config.redis.keyPrefix,
  );
  queue.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error (queue)'));
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  const dispatcher = new Agent({
    connections: config.http.connectionsPerOrigin,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    // The SSRF guard runs on the resolution the socket connects to (DNS rebinding cannot slip past).
    connect: config.http.allowPrivateTargets ? {} : { lookup: guardedLookup },
  });

  const registry = createMetricsRegistry('deliverer');
  const breaker = new CircuitBreaker(redis, config.redis.keyPrefix, config.circuit);
  const metrics = createDelivererMetrics(registry, database.sql, queue, breaker);
  const batching = {
    ...config.db.batch,
    maxConcurrentFlushes: Math.max(1, config.db.poolSize - 2),
  };
  const budget = new DeliveryBudget(config.worker.concurrency);
  const deps: DeliverJobDeps = {
    sql: database.sql,
    queue,
    budget,
    // The same group-commit mechanism serves reads: jobs arriving together share one SELECT.
    loader: new GroupCommitter(
      (ids: string[]) => retryTransient(() => loadDeliveriesToSend(database.sql, ids), RECORD_RETRIES),
      batching,
      { isolate: isolating(database.sql, loadDeliveriesToSend) },
    ),
    // A webhook already sent whose attempt cannot be recorded would be sent again by BullMQ's retry:
    // a Postgres blip (a deadlock, a restart, a dropped connection) is waited out here instead, and
    // one organization's refused record must not fail the other deliveries recorded with it.
    recorder: new GroupCommitter(
      (records) => retryTransient(() => recordAttempts(database.sql, records), RECORD_RETRIES),
      batching,
      // Each submission is one delivery's record; recordAttempts locks deliveries in id order.
      { isolate: isolating(database.sql, recordAttempts, (group) => group[0]?.deliveryId ?? '') },
    ),
    dispatcher,
    breaker,
    slots: new EndpointSlots(config.worker.maxInFlightPerEndpoint, config.worker.endpointSlotWaitMs),
    metrics,
    config,
    log: log.child({ component: 'deliver' }),
  };
  const worker = createDeliveryWorker(
    config.redis.keyPrefix,
    async (job, token) => {
      const batch = isDeliveryBatch(job.data);
      const held = await budget.hold(batch ? (job.data as DeliveryBatchData).deliveries.length : 1);
      if (!held) {
        // Shutting down before it started: back in line, without spending an attempt.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      try {
        return batch
          ? await deliverBatch(deps, job as Job<DeliveryBatchData>, held.done)
          : await deliverJob(deps, job as Job<DeliveryJobData>, token);
      } finally {
        held.end();
      }
    },
    {
      connection: { url: config.redis.url, maxRetriesPerRequest: null },
      // Jobs, each waiting for the budget before its deliveries are read.
      concurrency: config.worker.concurrency,
      autorun: false,
      // A crash leaves its jobs active; they come back after the lock expires. Never give up on them:
      // each stall means a deliverer died, not that the delivery is bad.
      maxStalledCount: 1000,
      // The lock must outlive the longest request, or a live job would be taken for a crashed one.
      lockDuration: Math.max(config.worker.stalledJobTimeoutMs, config.http.timeoutMs * 2),
      stalledInterval: config.worker.stalledJobTimeoutMs,
    },
  );
  worker.on('error', (err: Error) => log.warn({ err: err.message }, 'worker error'));
  worker.on('failed', (job, err) =>
    log.error({ err, jobId: job?.id }, 'delivery job failed; BullMQ will retry it'),
  );

  const reconciler = new PeriodicTask(
    'reconciler',
    config.reconcile.intervalMs,
    () =>
      requeueOrphanedDeliveries(
        database.sql,
        queue,
        redis,
        config.reconcile.afterSeconds,
        metrics,
        log.child({ component: 'reconciler' }),
      ),
    log,
  );
  const readiness = new Readiness([
    { name: 'postgres', critical: true, check: () => pingDatabase(database.sql) },
    { name: 'redis', critical: true, check: () => redis.ping() },
  ]);

  let stopping: Promise<void> | undefined;
  return {
    registry,
    readiness,
    database,
    queue,
    worker,
    reconciler,
    start: () => {
      void worker.run();
      reconciler.start();
    },
    // Order: stop taking jobs, put back those not started, wait for those in flight (their
    // attempts are recorded by then), flush the recorders, then close the clients they used. Once,
    // however often it is asked (a second signal, a test's clean-up).
    stop: () =>
      (stopping ??= (async () => {
        await reconciler.stop();
        budget.close();
        await worker.close();
        await deps.recorder.drain();
        await deps.loader.drain();
        await dispatcher.close();
        await queue.close();
        redis.disconnect();
        await database.close();
      })()),
  };
}
