export { ConfigError, env, parseEnv, withRules, type EnvRule, type Environment } from './config.js';
export { defineConfig, type ConfigContract, type ConfigVariable } from './config-contract.js';
export { pipelineEnv, processEnv } from './shared-env.js';
export { runService, type RunServiceOptions, type ServiceConfig, type ServiceParts } from './run-service.js';
export { createLogger, type Logger } from './logger.js';
export {
  Counter,
  Gauge,
  Histogram,
  LATENCY_BUCKETS,
  Registry,
  counterAtZero,
  countersWithoutSeries,
  createMetricsRegistry,
  type CounterOf,
  type LabelValueLists,
} from './metrics.js';
export { closeServer, createOpsServer, listen } from './ops-server.js';
export { Readiness, type DependencyCheck, type ReadinessReport } from './readiness.js';
export { Shutdown } from './shutdown.js';
export { PeriodicTask } from './periodic-task.js';
export {
  GroupCommitter,
  type GroupCommitHooks,
  type GroupCommitOptions,
  type IsolatedWrite,
  type WriteRows,
} from './group-commit.js';
export { withTimeout } from './with-timeout.js';
