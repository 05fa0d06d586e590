import { z } from 'zod';
import { DEFAULT_DELIVERIES_PER_JOB } from '@triggers/delivery-queue';
import { env, parseEnv } from '@triggers/runtime';

const schema = z.object({
  /** Postgres connection URL. */
  DATABASE_URL: env.url(['postgres:', 'postgresql:']),
  /** Redis connection URL (the BullMQ delivery queue). */
  REDIS_URL: env.url(['redis:', 'rediss:']),
  /** Prefix of every Redis key; must match the deliverer's. */
  REDIS_KEY_PREFIX: env.string('triggers:'),
  /** Interface the metrics listener binds to. */
  HOST: env.string('0.0.0.0'),
  /** Port of /metrics, /healthz, /readyz. */
  METRICS_PORT: env.int(9401, 0, 65535),
  /** Minimum log level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: env.logLevel(),
  /** Postgres connections of this instance (one is held for LISTEN; at least BATCH_CONCURRENCY + 1). */
  DB_POOL_SIZE: env.int(5, 2, 100),
  /** Queue rows claimed per transaction. */
  BATCH_SIZE: env.int(500, 1, 10_000),
  /** After a NOTIFY, how long events may gather before they are claimed: fewer, larger batches and BullMQ jobs, for this much latency. */
  BATCH_GATHER_MS: env.int(25, 0, 1000),
  /** Deliveries to one endpoint carried by one BullMQ job (BullMQ's cost per job is shared by them). */
  DELIVERIES_PER_JOB: env.int(DEFAULT_DELIVERIES_PER_JOB, 1, 1000),
  /** Batch transactions run at once (each keeps one Postgres backend busy; more than its cores buys little). */
  BATCH_CONCURRENCY: env.int(2, 1, 16),
  /** First wait before polling again after a full batch (a NOTIFY ends any wait early; polling only covers a lost one). */
  IDLE_POLL_MIN_MS: env.int(10, 1, 60_000),
  /** Longest wait between polls; the wait doubles after each idle wait up to this. */
  IDLE_POLL_MAX_MS: env.int(1000, 1, 60_000),
  /** BullMQ addBulk calls in flight while the next batch is processed. */
  MAX_INFLIGHT_HANDOFFS: env.int(2, 1, 32),
  /** How often the sweeper looks for deliveries whose jobs were never confirmed added. */
  SWEEP_INTERVAL_MS: env.int(5000, 100, 3_600_000),
  /** How old such a hand-off must be before the sweeper re-adds its jobs (longer than any addBulk takes). */
  SWEEP_GRACE_SECONDS: env.int(30, 1, 86_400),
  /** Events, deliveries and attempts older than this are deleted. */
  RETENTION_DAYS: env.int(7, 1, 3650),
  /** When > 0, events acknowledged and fully delivered are deleted once this old. */
  ACKED_DELIVERED_RETENTION_HOURS: env.int(0, 0, 87_600),
  /** How often the pruner runs. */
  PRUNE_INTERVAL_MS: env.int(60_000, 100, 86_400_000),
  /** Events the pruner deletes per statement (small statements keep locks short). */
  PRUNE_BATCH_SIZE: env.int(1000, 1, 100_000),
  /** Deadline for a graceful shutdown; keep it below the orchestrator's grace period. */
  SHUTDOWN_TIMEOUT_MS: env.int(10_000, 100, 600_000),
});

/** The processor's configuration, validated all at once. */
export function loadConfig(environment: Record<string, string | undefined>) {
  const e = parseEnv(schema, environment);
  if (e.IDLE_POLL_MIN_MS > e.IDLE_POLL_MAX_MS) {
    throw new Error('IDLE_POLL_MIN_MS must not exceed IDLE_POLL_MAX_MS');
  }
  // One connection listens; a batch without a free connection would wait for one, not fail.
  if (e.DB_POOL_SIZE < e.BATCH_CONCURRENCY + 1) {
    throw new Error(
      `DB_POOL_SIZE (${e.DB_POOL_SIZE}) must be at least BATCH_CONCURRENCY + 1 (${e.BATCH_CONCURRENCY + 1})`,
    );
  }
  return {
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
  } as const;
}

export type Config = ReturnType<typeof loadConfig>;
