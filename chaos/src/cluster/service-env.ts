import type { ServiceName } from './service-process.js';

/** The deliverer's per-request timeout here: a receiver slower than this gets the webhook again. */
export const DELIVERER_REQUEST_TIMEOUT_MS = 2000;

export interface ServiceEndpoints {
  databaseUrl: string;
  redisUrl: string;
  adminToken: string;
  ports: { api: number; ingestMetrics: number; processorMetrics: number; delivererMetrics: number };
}

/**
 * Each service's environment in this suite. The production code paths are unchanged; only timings
 * are shortened so that the system recovers within seconds of a fault instead of minutes, and no
 * delivery runs out of attempts during a 30 s outage.
 */
export function serviceEnv(name: ServiceName, e: ServiceEndpoints): Record<string, string> {
  // REDIS_KEY_PREFIX and LOG_LEVEL stay at the services' defaults (nothing is inherited from the
  // suite's own environment); the suite reads the queue under that prefix.
  const common = {
    DATABASE_URL: e.databaseUrl,
    REDIS_URL: e.redisUrl,
    HOST: '127.0.0.1',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
  switch (name) {
    case 'ingest-api':
      return {
        ...common,
        ADMIN_TOKEN: e.adminToken,
        PORT: String(e.ports.api),
        METRICS_PORT: String(e.ports.ingestMetrics),
        // The load generator is one organization sending far below this: no request is rate limited.
        RATE_LIMIT_PER_SECOND: '1000000',
        ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
      };
    case 'processor':
      return {
        ...common,
        METRICS_PORT: String(e.ports.processorMetrics),
        // Hand-offs lost to a kill or to Redis being down are re-added within a few seconds.
        SWEEP_INTERVAL_MS: '1000',
        SWEEP_GRACE_SECONDS: '3',
        IDLE_POLL_MAX_MS: '250',
      };
    case 'deliverer':
      return {
        ...common,
        METRICS_PORT: String(e.ports.delivererMetrics),
        ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
        // A hanging receiver costs 2 s per attempt, not 10.
        REQUEST_TIMEOUT_MS: String(DELIVERER_REQUEST_TIMEOUT_MS),
        // 200 ms doubling up to 2 s: 50 attempts span well over a minute, longer than any fault here.
        RETRY_BASE_DELAY_MS: '200',
        RETRY_BACKOFF_FACTOR: '2',
        RETRY_MAX_DELAY_MS: '2000',
        MAX_ATTEMPTS: '50',
        // The breaker stays on (it is part of the system under test) but probes again within seconds.
        CIRCUIT_COOLDOWN_MS: '1000',
        CIRCUIT_MAX_COOLDOWN_MS: '4000',
        // A killed deliverer's active jobs are taken up again after a few seconds (the lock is
        // renewed every 2.5 s: a busy machine must not make a live job look stalled).
        STALLED_JOB_TIMEOUT_MS: '5000',
        // Deliveries whose job vanished are re-queued after 5 s instead of 15 min.
        RECONCILE_INTERVAL_MS: '2000',
        RECONCILE_AFTER_SECONDS: '5',
      };
  }
}
