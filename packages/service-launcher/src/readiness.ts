import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadinessAnswer {
  ready: boolean;
  /** Status and the start of the body, or why nothing answered: what explains a service not ready. */
  answer: string;
}

/** One GET of a readiness URL: ready on 200. */
export async function checkReady(url: string): Promise<ReadinessAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body = await response.text();
    return { ready: response.status === 200, answer: `${response.status} ${body.slice(0, 200)}` };
  } catch (err) {
    return { ready: false, answer: `no answer: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** What a readiness wait watches besides the URL: the process that should answer it. */
export interface ReadinessWatch {
  name: string;
  isAlive: () => boolean;
  /** Its last output, shown when it fails to become ready. */
  output: () => string;
}

/**
 * Polls `url` until it answers 200. Fails early when the process exits, and with its last output
 * and last answer when `timeoutMs` passes first.
 */
export async function waitUntilReady(url: string, watch: ReadinessWatch, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!watch.isAlive()) throw new Error(`${watch.name} exited while starting\n${watch.output()}`);
    const { ready, answer } = await checkReady(url);
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(
        `${watch.name}: ${url} not ready after ${timeoutMs / 1000} s (${answer})\n${watch.output()}`,
      );
    await sleep(100);
  }
}
