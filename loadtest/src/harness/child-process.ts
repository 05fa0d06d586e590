import { startNodeProcess, type NodeProcess, type NodeProcessOptions } from '@triggers/service-launcher';
import { addCleanup } from './cleanup.js';
import { sampleProcess, type ProcessUsage } from './process-stats.js';

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
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves when the process is gone. */
  stop: (graceMs?: number) => Promise<void>;
}

/** Lines of output kept to explain a failure. */
export const KEEP_OUTPUT_LINES = 60;

/** Starts a server of the bench's own (a ceiling, the sink), which reports its port over IPC, and watches it. */
export function startChild(options: Omit<NodeProcessOptions, 'output' | 'ipc'>): Child {
  return watchChild(
    startNodeProcess({ ...options, ipc: true, output: { to: 'memory', keepLines: KEEP_OUTPUT_LINES } }),
  );
}

/** Samples a process the bench started, and stops it if the bench is interrupted (Ctrl-C). */
export function watchChild(child: NodeProcess): Child {
  const sampler = sampleProcess(child.pid);
  const exited = child.exited.then((exit) => {
    sampler.stop();
    throw new Error(`${child.name} exited (${exit.code ?? exit.signal})\n${child.output()}`);
  });
  // A stop() or a settled wait consumes this rejection; nobody else has to.
  exited.catch(() => {});
  const forget = addCleanup(`stop ${child.name}`, async () => {
    await child.stop(3000);
  });
  return {
    name: child.name,
    pid: child.pid,
    exited,
    outputTail: child.output,
    outputLines: child.outputLines,
    usage: sampler.usage,
    firstMessage: child.firstMessage,
    stop: async (graceMs = 10_000) => {
      await child.stop(graceMs);
      forget();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
