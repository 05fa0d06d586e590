import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { runWhenProcessExits, type ExitWatchdog } from '@triggers/local-services';
import { openOutput, type OutputOptions } from './process-output.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * What a child takes from this process's environment unless told otherwise: enough to run node,
 * nothing that configures a service (a MAX_ATTEMPTS set in the caller's shell must not change it).
 */
export const BASE_ENV_NAMES: readonly string[] = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

export interface NodeProcessOptions {
  /** Shown in errors. */
  name: string;
  /** The entry point: TypeScript, run as `node --import tsx <script>`, unless `nodeArgs` say otherwise. */
  script: string;
  /**
   * Node's own arguments before `script`, in place of `--import tsx`: `['--conditions=triggers-dist']`
   * runs an image's compiled JavaScript as its CMD does.
   */
  nodeArgs?: readonly string[];
  cwd: string;
  /** Its own variables, over the inherited ones. `NODE_ENV` is `production`, as in the images, unless set. */
  env?: Record<string, string | undefined>;
  /** Which variables of this process it inherits: `BASE_ENV_NAMES` by default, or all of them. */
  inheritEnv?: readonly string[] | 'all';
  output?: OutputOptions;
  /**
   * Its own session, unreferenced: it outlives this process (`make up`), and signalling `-pid`
   * reaches its whole group. Otherwise it is killed when this process ends, however it ends.
   */
  detached?: boolean;
  /** Opens an IPC channel (`child.send`, `firstMessage`). */
  ipc?: boolean;
  /** Every exit; `requested` when it followed `stop()` or `kill()`. */
  onExit?: (exit: ProcessExit, requested: boolean) => void;
}

/** A child node process running a TypeScript entry point. */
export interface NodeProcess {
  name: string;
  pid: number;
  /** For IPC. */
  child: ChildProcess;
  /** Resolves once the process is gone. */
  exited: Promise<ProcessExit>;
  isAlive: () => boolean;
  /** The last lines it wrote to stdout and stderr. */
  outputLines: () => string[];
  /** The same, as one indented block for error messages. */
  output: () => string;
  /** The first IPC message it sends; rejects when it exits or `timeoutMs` passes first. */
  firstMessage: <T>(timeoutMs: number) => Promise<T>;
  /** SIGTERM, SIGKILL after `graceMs` (default 25 s); resolves with its exit. */
  stop: (graceMs?: number) => Promise<ProcessExit>;
  /** A crash: SIGKILL, no chance to finish anything; resolves with its exit. */
  kill: () => Promise<ProcessExit>;
}

// Above the longest shutdown deadline of the services (the deliverer's 20 s), so that a drain is
// never cut short by the SIGKILL.
export const DEFAULT_STOP_GRACE_MS = 25_000;

export function startNodeProcess(options: NodeProcessOptions): NodeProcess {
  const output = openOutput(options.output ?? { to: 'memory' });
  if (options.detached && options.output?.to !== 'file')
    throw new Error(`${options.name}: a detached process needs its output in a file`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? ['--import', 'tsx']), options.script], {
    cwd: options.cwd,
    env: childEnv(options),
    detached: options.detached ?? false,
    stdio: ['ignore', ...output.stdio, ...(options.ipc ? (['ipc'] as const) : [])],
  });
  output.attach(child.stdout, child.stderr);
  child.on('error', () => {}); // a failed spawn shows as a missing pid, below
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.script}`);
  const pid = child.pid;

  let watchdog: ExitWatchdog | undefined;
  if (options.detached) child.unref();
  // If this process dies, even by SIGKILL, the child must not outlive it holding ports and a core.
  else watchdog = runWhenProcessExits('/bin/sh', ['-c', `kill -KILL ${pid} 2>/dev/null`]);

  let requested = false;
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      watchdog?.cancel();
      options.onExit?.(exit, requested);
      resolve(exit);
    });
  });
  const lines = output.lines;
  const describe = () =>
    lines()
      .map((line) => `  | ${line}`)
      .join('\n');

  const signal = async (name: NodeJS.Signals, escalateAfterMs?: number): Promise<ProcessExit> => {
    if (exit !== undefined) return exit;
    requested = true;
    child.kill(name);
    const timer =
      escalateAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), escalateAfterMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    name: options.name,
    pid,
    child,
    exited,
    isAlive: () => exit === undefined,
    outputLines: lines,
    output: describe,
    firstMessage: <T>(timeoutMs: number) => {
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        once(child, 'message').then(([message]) => message as T),
        exited.then((gone) => {
          throw new Error(`${options.name} exited (${gone.code ?? gone.signal})\n${describe()}`);
        }),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${options.name} sent nothing within ${timeoutMs} ms\n${describe()}`)),
            timeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
    },
    stop: (graceMs = DEFAULT_STOP_GRACE_MS) => signal('SIGTERM', graceMs),
    kill: () => signal('SIGKILL'),
  };
}

function childEnv(options: NodeProcessOptions): Record<string, string> {
  const names = options.inheritEnv ?? BASE_ENV_NAMES;
  const inherited =
    names === 'all' ? process.env : Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ NODE_ENV: 'production', ...inherited, ...options.env }))
    if (value !== undefined) env[name] = value;
  return env;
}
