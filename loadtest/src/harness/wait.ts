import { sleep } from './child-process.js';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Named in the timeout error. */
  what: string;
  /** Promises that reject when something waited on died (a child's `exited`): the wait fails at once. */
  abortOn?: readonly Promise<never>[];
}

/** Polls `check` until it returns true; returns performance.now() of that moment. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  options: WaitOptions,
): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  let done = false;
  const poll = async (): Promise<number> => {
    while (!done) {
      if (await check()) return performance.now();
      if (performance.now() > deadline)
        throw new Error(`${options.what}: not within ${options.timeoutMs} ms`);
      await sleep(options.intervalMs ?? 50);
    }
    return NaN;
  };
  try {
    return await Promise.race([poll(), ...(options.abortOn ?? [])]);
  } finally {
    done = true;
  }
}
