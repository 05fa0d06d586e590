import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while `pid` is a live process. An exited but unreaped process (zombie) counts as dead. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Daemons are reparented to PID 1, which in containers may never reap them: kill(0) alone would
  // report a dead server as alive forever.
  const state = processState(pid);
  return state !== 'Z' && state !== 'X';
}

function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself contain spaces or parentheses.
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    // Gone between kill(0) and this read, unless there is no /proc to read at all.
    return existsSync('/proc/self/stat') ? 'X' : undefined;
  }
}

/** The command line of `pid` joined by spaces, or '' when unknown. */
export function processCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Direct children of `pid` (Linux /proc), e.g. the backends of a postmaster. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // it exited while we were looking
    }
  }
  return children;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Waits until every pid is dead; false when `timeoutMs` passes first. */
export async function waitForExit(pids: number | number[], timeoutMs: number): Promise<boolean> {
  const list = Array.isArray(pids) ? pids : [pids];
  const deadline = Date.now() + timeoutMs;
  while (list.some(isProcessAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** Reads the first line of a pidfile as a pid; undefined when missing or malformed. */
export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').split('\n')[0]?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface StopProcessOptions {
  /** How long SIGTERM gets before SIGKILL. */
  graceMs: number;
  /** Signal the whole process group (`-pid`): the process was spawned detached as a group leader. */
  group?: boolean;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Returns how it ended. */
export async function stopProcess(
  pid: number,
  options: StopProcessOptions,
): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!isProcessAlive(pid)) return 'not-running';
  signal(pid, 'SIGTERM', options.group);
  if (await waitForExit(pid, options.graceMs)) return 'terminated';
  signal(pid, 'SIGKILL', options.group);
  await waitForExit(pid, 5000);
  return 'killed';
}

function signal(pid: number, name: NodeJS.Signals, group = false): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
