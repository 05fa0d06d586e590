import { z } from 'zod';
import { env } from './config.js';

/**
 * The variables every service reads, with the same name, meaning and bounds in each: where it
 * listens, how it logs and how long it may take to stop. Services compose this fragment into their
 * own schema (`.extend()`) and pass their own defaults.
 */
export function processEnv(defaults: { host: string; shutdownTimeoutMs: number }) {
  return z.object({
    HOST: env.string(defaults.host).describe("Interface the service's listeners bind to."),
    LOG_LEVEL: env
      .logLevel()
      .describe('Minimum log level: fatal, error, warn, info, debug, trace or silent.'),
    SHUTDOWN_TIMEOUT_MS: env
      .int(defaults.shutdownTimeoutMs, 100, 600_000)
      .describe("Deadline for a graceful shutdown; keep it below the orchestrator's grace period."),
  });
}

/**
 * What the pipeline services (ingest API, processor, deliverer) read besides: their stores and
 * their operations listener (`/metrics`, `/healthz`, `/readyz`).
 */
export function pipelineEnv(defaults: { metricsPort: number; shutdownTimeoutMs: number }) {
  return z.object({
    DATABASE_URL: env.url(['postgres:', 'postgresql:']).describe('Postgres connection URL.'),
    REDIS_URL: env
      .url(['redis:', 'rediss:'])
      .describe(
        'Redis connection URL: the delivery queue, and the rate limits (API) and circuit breakers (deliverer).',
      ),
    REDIS_KEY_PREFIX: env
      .string('triggers:')
      .describe(
        'Prefix of every Redis key: the same in every service of a deployment, different between deployments (or tests) sharing a Redis.',
      ),
    ...processEnv({ host: '0.0.0.0', shutdownTimeoutMs: defaults.shutdownTimeoutMs }).shape,
    METRICS_PORT: env.int(defaults.metricsPort, 0, 65535).describe('Port of /metrics, /healthz, /readyz.'),
  });
}
