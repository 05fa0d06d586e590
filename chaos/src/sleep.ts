import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or `timeoutMs`
 * passes (then undefined). Waits in this suite are conditions, never fixed sleeps: the machine is
 * shared, and timings vary run to run.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(intervalMs);
  }
}
