import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPortFree, isProcessAlive, readPidFile, stopProcess } from '@triggers/local-services';
import {
  DEFAULT_STOP_GRACE_MS,
  launchService,
  serviceDir,
  serviceReadyUrl,
  waitUntilReady,
} from '@triggers/service-launcher';
import type { DevService } from './dev-services.js';
import { paths, repoRoot } from './paths.js';

const pidFile = (service: DevService) => join(paths.pids, `${service.name}.pid`);

export const logFile = (service: DevService) => join(paths.logs, `${service.name}.log`);

/** Pid of the copy `make up` started, if it still runs. The cwd check guards against a pid since reused. */
export function runningPid(service: DevService): number | undefined {
  const pid = readPidFile(pidFile(service));
  if (pid === undefined || !isProcessAlive(pid)) return undefined;
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === serviceDir(service.name, repoRoot) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Fails when a port the service needs is taken by something `make up` did not start. */
export async function assertPortsFree(service: DevService): Promise<void> {
  for (const [name, value] of Object.entries(service.env)) {
    if (name.endsWith('PORT') && !(await isPortFree(Number(value), '0.0.0.0'))) {
      throw new Error(`${service.name}: port ${value} (${name}) is already in use by another process`);
    }
  }
}

/**
 * Starts the service in its own session, so that it outlives this script and `make down` can
 * signal its whole process group; it gets this script's environment with `env` and its own
 * settings over it, and its stdout and stderr are appended to its log.
 */
export async function startService(service: DevService, env: Record<string, string>): Promise<number> {
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.pids, { recursive: true });
  const started = await launchService(service.name, {
    root: repoRoot,
    detached: true,
    inheritEnv: 'all',
    env: { ...env, ...service.env },
    output: {
      to: 'file',
      path: logFile(service),
      banner: `make up: starting ${service.name} at ${new Date().toISOString()}`,
    },
  });
  writeFileSync(pidFile(service), `${started.pid}\n`);
  return started.pid;
}

/** Polls the service's /readyz; fails early, with the log tail, when the process dies. */
export async function waitUntilServiceReady(service: DevService, pid: number): Promise<void> {
  await waitUntilReady(serviceReadyUrl(service.name, service.env), {
    name: service.name,
    isAlive: () => isProcessAlive(pid),
    output: () => logTail(service),
  });
}

/** SIGTERM, SIGKILL after the launcher's grace (above every service's shutdown deadline). */
export async function stopService(service: DevService): Promise<string> {
  const pid = runningPid(service);
  rmSync(pidFile(service), { force: true });
  if (pid === undefined) return 'not running';
  return stopProcess(pid, { graceMs: DEFAULT_STOP_GRACE_MS, group: true });
}

function logTail(service: DevService, lines = 40): string {
  const file = logFile(service);
  const text = existsSync(file)
    ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    : '';
  return `--- last lines of ${file} ---\n${text}`;
}
