interface EndpointState {
  inFlight: number;
  waiters: Waiter[];
  /** When the slots last became all taken (the endpoint saturated). */
  fullSince: number;
  /** When a slot was last freed while all were taken. */
  lastTurnoverAt: number | undefined;
  /** Moving average of the time a saturated endpoint takes to free a slot. */
  turnoverMs: number | undefined;
  lastUsedAt: number;
}

interface Waiter {
  grant: (acquired: boolean) => void;
}

/** Weight of the newest turnover in the moving average. */
const SMOOTHING = 0.2;
/** An endpoint idle this long is forgotten, its turnover with it. */
const FORGET_AFTER_MS = 60_000;
/** Calls between two sweeps for endpoints to forget. */
const SWEEP_EVERY = 10_000;
/**
 * Waiters per slot for an endpoint whose turnover is not known (not seen saturated for seconds): a
 * burst to a healthy endpoint waits instead of being postponed, and one that hangs holds them for
 * `maxWaitMs` once, then none.
 */
const UNKNOWN_WAITERS_PER_SLOT = 4;
/** A turnover measured longer ago than this says little about the endpoint now. */
const TURNOVER_STALE_AFTER_MS = 5_000;

/**
 * Counts deliveries in flight per endpoint in this process, so that one slow endpoint can hold at
 * most `limit` of the worker's slots and healthy endpoints keep flowing.
 *
 * A delivery that finds its endpoint's slots all taken waits for one, in arrival order, when it
 * can expect one within `maxWaitMs`, judged by how fast the endpoint freed slots when it was last
 * saturated: one freeing a slot every 2 ms takes 125 waiters, one freeing a slot every 100 ms two,
 * one never seen saturated (or not for seconds) four per slot, and one that has freed none for
 * `maxWaitMs` none. The caller postpones the others.
 *
 * A waiter waits as long as the line moves: it gives up only when the endpoint has freed no slot
 * for `maxWaitMs`. When the whole machine is saturated, every endpoint turns over more slowly and
 * lines grow; postponing them would add Redis work and a later fetch for nothing (the deliverer's
 * budget already keeps what it holds bounded). A slow endpoint still holds hardly more deliveries
 * than `limit`, and one that stops answering holds none past `maxWaitMs`.
 */
export class EndpointSlots {
  private readonly endpoints = new Map<string, EndpointState>();
  private callsSinceSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** Resolves true with a slot taken, false when none can be expected in time or none came. */
  acquire(endpointId: string): Promise<boolean> {
    const now = this.now();
    this.sweepNow(now);
    let state = this.endpoints.get(endpointId);
    if (!state) {
      state = {
        inFlight: 0,
        waiters: [],
        fullSince: now,
        lastTurnoverAt: undefined,
        turnoverMs: undefined,
        lastUsedAt: now,
      };
      this.endpoints.set(endpointId, state);
    }
    state.lastUsedAt = now;
    if (state.inFlight < this.limit) {
      state.inFlight += 1;
      if (state.inFlight === this.limit) this.saturated(state, now);
      return Promise.resolve(true);
    }
    if (state.waiters.length >= this.waitersAllowed(state, now)) return Promise.resolve(false);
    const waiters = state.waiters;
    const endpoint = state;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout;
      const waiter: Waiter = {
        grant: (acquired) => {
          clearTimeout(timer);
          resolve(acquired);
        },
      };
      const check = () => {
        const stalled = sinceLastTurnover(endpoint, this.now());
        if (stalled < this.maxWaitMs) {
          timer = setTimeout(check, this.maxWaitMs - stalled);
          return;
        }
        const index = waiters.indexOf(waiter);
        if (index >= 0) waiters.splice(index, 1);
        resolve(false);
      };
      timer = setTimeout(check, this.maxWaitMs);
      waiters.push(waiter);
    });
  }

  /** Frees a slot taken by `acquire`: it goes straight to the longest-waiting job, if any. */
  release(endpointId: string): void {
    const state = this.endpoints.get(endpointId);
    if (!state) return;
    const now = this.now();
    state.lastUsedAt = now;
    if (state.inFlight >= this.limit) {
      const turnover = sinceLastTurnover(state, now);
      state.turnoverMs =
        state.turnoverMs === undefined
          ? turnover
          : state.turnoverMs + SMOOTHING * (turnover - state.turnoverMs);
      state.lastTurnoverAt = now;
    }
    const next = state.waiters.shift();
    if (next) {
      next.grant(true);
      return;
    }
    if (state.inFlight > 0) state.inFlight -= 1;
  }

  /** Slots taken for `endpointId` (for tests and debugging). */
  inFlight(endpointId: string): number {
    return this.endpoints.get(endpointId)?.inFlight ?? 0;
  }

  private saturated(state: EndpointState, now: number): void {
    state.fullSince = now;
    if (state.lastTurnoverAt !== undefined && now - state.lastTurnoverAt > TURNOVER_STALE_AFTER_MS) {
      state.turnoverMs = undefined;
      state.lastTurnoverAt = undefined;
    }
  }

  private waitersAllowed(state: EndpointState, now: number): number {
    if (this.maxWaitMs === 0) return 0;
    // Time without a freed slot since it saturated counts too: an endpoint that has stopped
    // answering, whether it was fast before or never seen saturated, must not keep taking waiters.
    const waited = sinceLastTurnover(state, now);
    if (waited >= this.maxWaitMs) return 0;
    if (state.turnoverMs === undefined) return this.limit * UNKNOWN_WAITERS_PER_SLOT;
    return Math.floor(this.maxWaitMs / Math.max(state.turnoverMs, waited, 0.01));
  }

  private sweepNow(now: number): void {
    if (++this.callsSinceSweep < SWEEP_EVERY) return;
    this.callsSinceSweep = 0;
    for (const [endpointId, state] of this.endpoints) {
      if (state.inFlight === 0 && now - state.lastUsedAt > FORGET_AFTER_MS) this.endpoints.delete(endpointId);
    }
  }
}

/** Time since the saturated endpoint last freed a slot, or since it saturated when it has freed none. */
function sinceLastTurnover(state: EndpointState, now: number): number {
  return now - Math.max(state.fullSince, state.lastTurnoverAt ?? -Infinity);
}
