import { sleep } from '../sleep.js';
import { isQuiescent, type SystemState } from './system-state.js';

export interface Quiescence {
  /** When the system was first seen quiescent (and stayed so); undefined on timeout. */
  at: number | undefined;
  /** The last state read (undefined when Postgres never answered). */
  last: SystemState | undefined;
}

/**
 * Waits until the system is quiescent: queue drained, every delivery settled, no job left, every
 * service ready; two reads in a row, so that a hand-over caught between two tables cannot pass
 * for quiet. Gives up after `timeoutMs`.
 */
export async function waitForQuiescence(
  read: () => Promise<SystemState>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<Quiescence> {
  const deadline = Date.now() + timeoutMs;
  let last: SystemState | undefined;
  let quietSince: number | undefined;
  for (;;) {
    const readAt = Date.now();
    try {
      last = await read();
    } catch {
      last = undefined; // Postgres not answering yet
    }
    if (last && isQuiescent(last)) {
      if (quietSince !== undefined) return { at: quietSince, last };
      quietSince = readAt;
    } else {
      quietSince = undefined;
    }
    if (Date.now() > deadline) return { at: undefined, last };
    await sleep(intervalMs);
  }
}
