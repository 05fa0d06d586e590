import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import type { RunAs } from './run-command.js';

/** A pending clean-up; `cancel()` once the thing it guards has been stopped normally. */
export interface ExitWatchdog {
  cancel(): void;
}

/**
 * Runs `file args` once this process is gone, however it ends (exit, crash, SIGKILL, a jest
 * worker torn down). A small shell in its own session blocks reading a pipe that only this
 * process holds; the kernel closes the pipe when this process dies, and the shell runs the command.
 * process.on('exit') would not do: jest's sandboxed `process` never emits it, and SIGKILL skips it.
 */
export function runWhenProcessExits(file: string, args: string[], runAs?: RunAs): ExitWatchdog {
  const shell = spawn('/bin/sh', ['-c', 'read -r _ || true; exec "$@"', 'exit-watchdog', file, ...args], {
    ...runAs,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  shell.on('error', () => {}); // best effort: a missing watchdog only loses the safety net
  shell.unref();
  (shell.stdin as Socket | null)?.unref();
  return { cancel: () => shell.kill('SIGKILL') };
}
