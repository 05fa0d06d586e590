import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { paths } from './repo.js';
import type { Environment, ServiceName } from './service-config.js';

/**
 * A service started as a child of the Node running the tests, with exactly the environment given:
 * nothing leaks in from the test's own environment.
 */
export interface ServiceProcess {
  service: ServiceName;
  child: ChildProcess;
  /** What it printed so far (logs, and the reason when it died). */
  output: () => string;
  stop: () => Promise<void>;
}

/** Node's arguments and the folder they run in. */
export interface Launch {
  cwd: string;
  args: string[];
}

/** From its TypeScript source in the repository, through tsx. */
export const fromSource = (service: ServiceName): Launch => ({
  cwd: paths.service(service),
  args: ['--import', 'tsx', 'src/main.ts'],
});

export function startService(
  service: ServiceName,
  env: Environment,
  launch: Launch = fromSource(service),
): ServiceProcess {
  const child = spawn(process.execPath, launch.args, {
    cwd: launch.cwd,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    service,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** Polls `url` until it answers 200; fails early, with the service's output, if the process dies. */
export async function waitUntilOk(process_: ServiceProcess, url: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process_.child.exitCode !== null) {
      throw new Error(`${process_.service} exited with ${process_.child.exitCode}:\n${process_.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${process_.service}: ${url} not 200 within ${timeoutMs} ms:\n${process_.output()}`);
    }
    await sleep(100);
  }
}
