import { createDatabase, EVENT_QUEUE_CHANNEL, pingDatabase, type DatabaseClient } from '@triggers/db';
import { createDeliveryQueue, type DeliveryQueue } from '@triggers/delivery-queue';
import {
  PeriodicTask,
  Readiness,
  createMetricsRegistry,
  type Logger,
  type Registry,
} from '@triggers/runtime';
import { BatchLoop } from './batch-loop.js';
import type { Config } from './config.js';
import { createProcessorMetrics } from './metrics.js';
import { pruneRetainedData } from './pruner.js';
import { sweepStaleHandoffs } from './sweeper.js';

export interface ProcessorService {
  registry: Registry;
  readiness: Readiness;
  database: DatabaseClient;
  queue: DeliveryQueue;
  /** `BATCH_CONCURRENCY` loops; they share the queue as separate processors would (SKIP LOCKED). */
  loops: BatchLoop[];
  sweeper: PeriodicTask;
  pruner: PeriodicTask;
  /** Subscribes to NOTIFY and starts the loop and the periodic tasks. */
  start: () => Promise<void>;
  /** Stops taking work, finishes the batch in flight, closes Redis and Postgres. */
  stop: () => Promise<void>;
}

/** Builds every part of the processor from its configuration; nothing runs until `start()`. */
export function buildProcessorService(config: Config, log: Logger): ProcessorService {
  const database = createDatabase({
    url: config.db.url,
    maxConnections: config.db.poolSize,
    applicationName: 'triggers-processor',
  });
  // Fail fast while Redis is down: the hand-off stays in Postgres for the sweeper instead of waiting.
  const queue = createDeliveryQueue(
    { url: config.redis.url, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    config.redis.keyPrefix,
  );
  queue.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));

  const registry = createMetricsRegistry('processor');
  const metrics = createProcessorMetrics(registry, database.sql);
  const loops = Array.from(
    { length: config.batchConcurrency },
    (_, index) =>
      new BatchLoop(
        database.sql,
        queue,
        config.batch,
        metrics,
        log.child({ component: 'batch-loop', index }),
      ),
  );
  const sweeper = new PeriodicTask(
    'sweeper',
    config.sweeper.intervalMs,
    () =>
      sweepStaleHandoffs(
        database.sql,
        queue,
        config.sweeper.graceSeconds,
        config.batch.deliveriesPerJob,
        metrics,
        log.child({ component: 'sweeper' }),
      ),
    log,
  );
  const pruner = new PeriodicTask(
    'pruner',
    config.retention.intervalMs,
    () => pruneRetainedData(database.sql, config.retention, metrics, log.child({ component: 'pruner' })),
    log,
  );
  // Redis is reported but not critical: without it events are still stored, and the sweeper hands
  // their deliveries over once it is back.
  const readiness = new Readiness([
    { name: 'postgres', critical: true, check: () => pingDatabase(database.sql) },
    { name: 'redis', critical: false, check: () => queue.getWaitingCount() },
  ]);

  let unlisten: (() => Promise<void>) | undefined;
  let notifications = 0;
  return {
    registry,
    readiness,
    database,
    queue,
    loops,
    sweeper,
    pruner,
    start: async () => {
      const subscription = await database.sql.listen(EVENT_QUEUE_CHANNEL, () => {
        // One loop per NOTIFY: none while one is gathering (it claims those rows too), else an
        // idle one, else the next busy one in turn (it claims again when done). At low rates the
        // others stay asleep instead of all claiming from a queue that holds a handful of rows;
        // under load every loop is kept busy.
        if (loops.some((loop) => loop.gathering)) return;
        (loops.find((loop) => loop.idle) ?? loops[notifications++ % loops.length]!).wake();
      });
      unlisten = subscription.unlisten;
      for (const loop of loops) loop.start();
      sweeper.start();
      pruner.start();
    },
    // Order: stop the periodic tasks and the loop (each finishes what it is doing, including the
    // hand-off of the last batch), then drop the subscription, then close the clients they used.
    stop: async () => {
      await Promise.all([sweeper.stop(), pruner.stop(), ...loops.map((loop) => loop.stop())]);
      await unlisten?.().catch(() => undefined);
      await queue.close();
      await database.close();
    },
  };
}
