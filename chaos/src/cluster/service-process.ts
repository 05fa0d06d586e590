import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { runWhenProcessExits, waitForExit, type ExitWatchdog } from '@triggers/local-services';
import { pollUntil } from '../sleep.js';

export type ServiceName = 'ingest-api' | 'processor' | 'deliverer';

export interface ServiceSpec {
  name: ServiceName;
  /** Absolute folder holding src/main.ts. */
  dir: string;
  env: Record<string, string>;
  /** Answers 200 once the service is ready. */
  readyUrl: string;
  logFile: string;
}

/** An exit this suite did not cause: a crash, or a service giving up on a dependency. */
export interface UnexpectedExit {
  service: ServiceName;
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One service as a child process, the way `make up` runs it (`node --import tsx src/main.ts` in its
 * folder), its output appended to its log. Exits the suite did not ask for are reported to
 * `onUnexpectedExit`.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  /** The last readiness answer, to say why a service is not ready. */
  lastReadiness = 'not asked yet';
  /** Children this suite signalled itself: their exit is expected. */
  private readonly signalled = new WeakSet<ChildProcess>();
  starts = 0;

  constructor(
    readonly spec: ServiceSpec,
    private readonly onUnexpectedExit: (exit: UnexpectedExit) => void,
  ) {}

  get name(): ServiceName {
    return this.spec.name;
  }

  pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  isAlive(): boolean {
    return this.pid() !== undefined;
  }

  /** Spawns the process; `waitReady()` tells when it serves. */
  start(): void {
    if (this.isAlive()) throw new Error(`${this.name} is already running`);
    const log = openSync(this.spec.logFile, 'a');
    writeSync(log, `\n--- chaos: starting ${this.name} at ${new Date().toISOString()} ---\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: this.spec.dir,
      stdio: ['ignore', log, log],
      // Only what a process needs to run: a variable set in the caller's shell (MAX_ATTEMPTS, say)
      // must not change the services' configuration behind the suite's back.
      env: { ...pick(process.env, ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']), ...this.spec.env },
    });
    closeSync(log);
    this.child = child;
    this.starts += 1;
    // If this suite dies (even by SIGKILL), its services must not outlive it.
    const watchdog: ExitWatchdog | undefined =
      child.pid === undefined
        ? undefined
        : runWhenProcessExits('/bin/sh', ['-c', `kill -KILL ${child.pid} 2>/dev/null`]);
    child.on('exit', (code, signal) => {
      watchdog?.cancel();
      if (!this.signalled.has(child))
        this.onUnexpectedExit({ service: this.name, at: Date.now(), code, signal });
    });
  }

  /** Polls the readiness URL; false when the process died or `timeoutMs` passed. */
  async waitReady(timeoutMs: number): Promise<boolean> {
    const ready = await pollUntil(async () => {
      if (!this.isAlive()) return false;
      return (await this.isReady()) ? true : undefined;
    }, timeoutMs);
    return ready === true;
  }

  async isReady(): Promise<boolean> {
    if (!this.isAlive()) {
      this.lastReadiness = 'process not running';
      return false;
    }
    try {
      const response = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      this.lastReadiness = `${response.status} ${body.slice(0, 200)}`;
      return response.ok;
    } catch (err) {
      this.lastReadiness = `no answer: ${err instanceof Error ? err.message : String(err)}`;
      return false;
    }
  }

  /** A crash: SIGKILL, no chance to finish anything. Resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL', 5000);
  }

  /** A graceful stop (SIGTERM, which the services handle), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!(await this.signalAndWait('SIGTERM', graceMs))) await this.signalAndWait('SIGKILL', 5000);
  }

  /** The last lines of the log, to explain a failure. */
  logTail(lines = 30): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private async signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
    const child = this.child;
    const pid = this.pid();
    if (child === undefined || pid === undefined) return true;
    this.signalled.add(child);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    // The 'exit' event can trail the death itself; /proc is the ground truth.
    return outcome === 'exited' || (await waitForExit(pid, 100));
  }
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
}
