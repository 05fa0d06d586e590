export {
  launchService,
  startService,
  type ServiceLaunchOptions,
  type ServiceProcess,
} from './launch-service.js';
export {
  BASE_ENV_NAMES,
  DEFAULT_STOP_GRACE_MS,
  startNodeProcess,
  type NodeProcess,
  type NodeProcessOptions,
  type ProcessExit,
} from './node-process.js';
export type { OutputOptions } from './process-output.js';
export { checkReady, waitUntilReady, type ReadinessAnswer, type ReadinessWatch } from './readiness.js';
export {
  PIPELINE_SERVICES,
  SERVICE_NAMES,
  SERVICES,
  serviceDir,
  serviceReadyUrl,
  type PipelineServiceName,
  type PortVariable,
  type ServiceInfo,
  type ServiceName,
} from './services.js';
