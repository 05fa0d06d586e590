export { runWhenProcessExits, type ExitWatchdog } from './exit-watchdog.js';
export { findPostgresBinDir } from './postgres-binaries.js';
export { postgresUserCanEnter } from './postgres-os-user.js';
export { PostgresServer, type PostgresServerOptions } from './postgres-server.js';
export { findFreePort, isPortFree, waitForFreePort, type FreePortOptions } from './ports.js';
export {
  isProcessAlive,
  processCommandLine,
  readPidFile,
  stopProcess,
  waitForExit,
  type StopProcessOptions,
} from './processes.js';
export { findPromtoolBin } from './promtool.js';
export { pingRedis } from './redis-ping.js';
export { RedisServer, findRedisServerBin, type RedisServerOptions } from './redis-server.js';
export { findWorkspaceRoot } from './workspace-root.js';
