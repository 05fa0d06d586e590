interface EndpointState {
  inFlight: number;
  waiters: Waiter[];
}

interface Waiter {
  grant: (acquired: boolean) => void;
}

/**
 * Counts deliveries in flight per endpoint in this process, so that one slow endpoint can hold at
 * most `limit` of the worker's slots and healthy endpoints keep flowing.
 *
 * A job that finds its endpoint's slots full waits up to `maxWaitMs` for one, in arrival order,
 * with at most `limit` jobs waiting per endpoint. A healthy endpoint frees a slot within
 * milliseconds, so a burst to it is absorbed here instead of postponing jobs in Redis for a
 * quarter of a second or more; a slow one keeps its waiters no longer than `maxWaitMs`, and the
 * caller postpones them then.
 */
export class EndpointSlots {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Resolves true with a slot taken, false when none came free in time (or too many wait already). */
  acquire(endpointId: string): Promise<boolean> {
    const state = this.endpoints.get(endpointId);
    if (!state) {
      this.endpoints.set(endpointId, { inFlight: 1, waiters: [] });
      return Promise.resolve(true);
    }
    if (state.inFlight < this.limit) {
      state.inFlight += 1;
      return Promise.resolve(true);
    }
    if (this.maxWaitMs === 0 || state.waiters.length >= this.limit) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: (acquired) => {
          clearTimeout(timer);
          resolve(acquired);
        },
      };
      const timer = setTimeout(() => {
        const index = state.waiters.indexOf(waiter);
        if (index >= 0) state.waiters.splice(index, 1);
        resolve(false);
      }, this.maxWaitMs);
      state.waiters.push(waiter);
    });
  }

  /** Frees a slot taken by `acquire`: it goes straight to the longest-waiting job, if any. */
  release(endpointId: string): void {
    const state = this.endpoints.get(endpointId);
    if (!state) return;
    const next = state.waiters.shift();
    if (next) {
      next.grant(true);
      return;
    }
    state.inFlight -= 1;
    if (state.inFlight <= 0) this.endpoints.delete(endpointId);
  }

  /** Slots taken for `endpointId` (for tests and debugging). */
  inFlight(endpointId: string): number {
    return this.endpoints.get(endpointId)?.inFlight ?? 0;
  }
}
