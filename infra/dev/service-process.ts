import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortFree, isProcessAlive, readPidFile, stopProcess } from '@triggers/local-services';
import type { DevService } from './dev-services.js';
import { paths, repoRoot } from './paths.js';

const pidFile = (service: DevService) => join(paths.pids, `${service.name}.pid`);
const serviceDir = (service: DevService) => resolve(repoRoot, service.dir);

export const logFile = (service: DevService) => join(paths.logs, `${service.name}.log`);

/** Whether the service has an entry point yet (services are added one at a time). */
export function isBuilt(service: DevService): boolean {
  return existsSync(join(serviceDir(service), 'src', 'main.ts'));
}

/** Pid of the copy `make up` started, if it still runs. The cwd check guards against a pid since reused. */
export function runningPid(service: DevService): number | undefined {
  const pid = readPidFile(pidFile(service));
  if (pid === undefined || !isProcessAlive(pid)) return undefined;
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === serviceDir(service) ? pid : undefined;
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
 * signal its whole process group; stdout and stderr are appended to its log.
 */
export function startService(service: DevService, env: NodeJS.ProcessEnv): number {
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.pids, { recursive: true });
  const log = openSync(logFile(service), 'a');
  writeSync(log, `\n--- make up: starting ${service.name} at ${new Date().toISOString()} ---\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serviceDir(service),
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...env, ...service.env },
  });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`${service.name}: could not start ${process.execPath}`);
  writeFileSync(pidFile(service), `${child.pid}\n`);
  return child.pid;
}

/** Polls the readiness URL; fails early, with the log tail, when the process dies. */
export async function waitUntilReady(service: DevService, pid: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isProcessAlive(pid)) throw new Error(`${service.name} exited while starting\n${logTail(service)}`);
    try {
      const response = await fetch(service.readyUrl, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${service.name}: ${service.readyUrl} not ready after ${timeoutMs / 1000} s\n${logTail(service)}`,
      );
    }
    await sleep(250);
  }
}

/** SIGTERM (graceful shutdown has a 10 s deadline), SIGKILL after 15 s. */
export async function stopService(service: DevService): Promise<string> {
  const pid = runningPid(service);
  rmSync(pidFile(service), { force: true });
  if (pid === undefined) return 'not running';
  return stopProcess(pid, { graceMs: 15_000, group: true });
}

function logTail(service: DevService, lines = 40): string {
  const file = logFile(service);
  const text = existsSync(file)
    ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    : '';
  return `--- last lines of ${file} ---\n${text}`;
}
