import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { addCleanup } from './cleanup.js';
import { sampleProcess, type ProcessUsage } from './process-stats.js';

export interface ChildOptions {
  /** Shown in errors and logs. */
  name: string;
  /** Script run as `node --import tsx <script>`. */
  script: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Lines of output kept to explain a failure. */
  keepLines?: number;
}

/** A server under test, in its own process so that it never shares a core's time with the load generator's event loop. */
export interface Child {
  name: string;
  pid: number;
  /** Resolves with the first IPC message the child sends (the bare servers send their port). */
  firstMessage: <T>(timeoutMs: number) => Promise<T>;
  /** Rejects as soon as the child exits; used to abort waits on a child that crashed. */
  exited: Promise<never>;
  /** The last lines the child wrote to stdout and stderr, indented for error messages. */
  outputTail: () => string;
  /** The same lines, as written. */
  outputLines: () => string[];
  /** Its RSS and CPU time, sampled every 250 ms from start to exit. */
  usage: () => ProcessUsage;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop: (graceMs?: number) => Promise<void>;
}

export function startChild(options: ChildOptions): Child {
  const keep = options.keepLines ?? 60;
  const lines: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: could not spawn ${options.script}`);
  const remember = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > keep) lines.shift();
    }
  };
  const sampler = sampleProcess(child.pid);
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);

  let hasExited = false;
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      sampler.stop();
      reject(new Error(`${options.name} exited (${code ?? signal})\n${tail()}`));
    });
  });
  // A stop() or a settled wait consumes this rejection; nobody else has to.
  exited.catch(() => {});
  const tail = (): string => lines.map((line) => `  | ${line}`).join('\n');

  const stop = async (graceMs = 10_000): Promise<void> => {
    if (hasExited) return;
    const gone = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      await gone;
    } finally {
      clearTimeout(timer);
    }
  };
  const forget = addCleanup(`stop ${options.name}`, () => stop(3000));

  return {
    name: options.name,
    pid: child.pid,
    exited,
    outputTail: tail,
    outputLines: () => [...lines],
    usage: sampler.usage,
    firstMessage: <T>(timeoutMs: number) =>
      Promise.race([
        once(child, 'message').then(([message]) => message as T),
        exited,
        rejectAfter(timeoutMs, `${options.name} sent nothing within ${timeoutMs} ms\n${tail()}`),
      ]),
    stop: async (graceMs) => {
      await stop(graceMs);
      forget();
    },
  };
}

/** Polls `url` until it answers 200; fails early if the child exits. */
export async function waitForHttpOk(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  let done = false;
  const poll = async (): Promise<void> => {
    while (!done && Date.now() < deadline) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await sleep(100);
    }
    if (!done)
      throw new Error(
        `${child.name} not ready at ${url} after ${timeoutMs} ms (${last})\n${child.outputTail()}`,
      );
  };
  try {
    await Promise.race([poll(), child.exited]);
  } finally {
    done = true;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function rejectAfter(ms: number, message: string): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}
