import { z } from 'zod';
import { DEFAULT_DELIVERIES_PER_JOB } from '@triggers/delivery-queue';
import { defineConfig, env, pipelineEnv, withRules } from '@triggers/runtime';

const variables = pipelineEnv({ metricsPort: 9401, shutdownTimeoutMs: 10_000 }).extend({
  DB_POOL_SIZE: env
    .int(5, 2, 100)
    .describe(
      'Postgres connections of this instance (one is held for LISTEN; at least BATCH_CONCURRENCY + 1).',
    ),
  BATCH_SIZE: env.int(500, 1, 10_000).describe('Queue rows claimed per transaction.'),
  BATCH_GATHER_MS: env
    .int(25, 0, 1000)
    .describe(
      'After a NOTIFY, how long events may gather before they are claimed: fewer, larger batches and BullMQ jobs, for this much latency.',
    ),
  DELIVERIES_PER_JOB: env
    .int(DEFAULT_DELIVERIES_PER_JOB, 1, 1000)
    .describe(
      "Deliveries to one endpoint carried by one BullMQ job (BullMQ's cost per job is shared by them).",
    ),
  BATCH_CONCURRENCY: env
    .int(2, 1, 16)
    .describe(
      'Batch transactions run at once (each keeps one Postgres backend busy; more than its cores buys little).',
    ),
  IDLE_POLL_MIN_MS: env
    .int(10, 1, 60_000)
    .describe(
      'First wait before polling again after a full batch (a NOTIFY ends any wait early; polling only covers a lost one).',
    ),
  IDLE_POLL_MAX_MS: env
    .int(1000, 1, 60_000)
    .describe('Longest wait between polls; the wait doubles after each idle wait up to this.'),
  MAX_INFLIGHT_HANDOFFS: env
    .int(2, 1, 32)
    .describe('BullMQ addBulk calls in flight while the next batch is processed.'),
  SWEEP_INTERVAL_MS: env
    .int(5000, 100, 3_600_000)
    .describe('How often the sweeper looks for deliveries whose jobs were never confirmed added.'),
  SWEEP_GRACE_SECONDS: env
    .int(30, 1, 86_400)
    .describe(
      'How old such a hand-off must be before the sweeper re-adds its jobs (longer than any addBulk takes).',
    ),
  RETENTION_DAYS: env
    .int(7, 1, 3650)
    .describe('Events, deliveries and attempts older than this are deleted.'),
  ACKED_DELIVERED_RETENTION_HOURS: env
    .int(0, 0, 87_600)
    .describe('When > 0, events acknowledged and fully delivered are deleted once this old.'),
  PRUNE_INTERVAL_MS: env.int(60_000, 100, 86_400_000).describe('How often the pruner runs.'),
  PRUNE_BATCH_SIZE: env
    .int(1000, 1, 100_000)
    .describe('Events the pruner deletes per statement (small statements keep locks short).'),
});

const schema = withRules(
  variables,
  {
    names: ['IDLE_POLL_MIN_MS', 'IDLE_POLL_MAX_MS'],
    problem: (e) =>
      e.IDLE_POLL_MIN_MS > e.IDLE_POLL_MAX_MS
        ? `IDLE_POLL_MIN_MS (${e.IDLE_POLL_MIN_MS}) must not exceed IDLE_POLL_MAX_MS (${e.IDLE_POLL_MAX_MS})`
        : undefined,
  },
  {
    // One connection listens; a batch without a free connection would wait for one, not fail.
    names: ['DB_POOL_SIZE', 'BATCH_CONCURRENCY'],
    problem: (e) =>
      e.DB_POOL_SIZE < e.BATCH_CONCURRENCY + 1
        ? `DB_POOL_SIZE (${e.DB_POOL_SIZE}) must be at least BATCH_CONCURRENCY + 1 (${e.BATCH_CONCURRENCY + 1})`
        : undefined,
  },
);

/** The processor's configuration contract: its environment, validated all at once, and its typed config. */
export const processorConfig = defineConfig(schema, (e: z.output<typeof schema>) => ({
  db: { url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE },
  redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
  metrics: { host: e.HOST, port: e.METRICS_PORT },
  batchConcurrency: e.BATCH_CONCURRENCY,
  batch: {
    batchSize: e.BATCH_SIZE,
    gatherMs: e.BATCH_GATHER_MS,
    deliveriesPerJob: e.DELIVERIES_PER_JOB,
    idleMinMs: e.IDLE_POLL_MIN_MS,
    idleMaxMs: e.IDLE_POLL_MAX_MS,
    maxInflightHandoffs: e.MAX_INFLIGHT_HANDOFFS,
  },
  sweeper: { intervalMs: e.SWEEP_INTERVAL_MS, graceSeconds: e.SWEEP_GRACE_SECONDS },
  retention: {
    days: e.RETENTION_DAYS,
    ackedDeliveredHours: e.ACKED_DELIVERED_RETENTION_HOURS,
    intervalMs: e.PRUNE_INTERVAL_MS,
    batchSize: e.PRUNE_BATCH_SIZE,
  },
  logLevel: e.LOG_LEVEL,
  shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
}));

export const loadConfig = processorConfig.load;

export type Config = ReturnType<typeof loadConfig>;
