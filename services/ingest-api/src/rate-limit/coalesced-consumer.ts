/** What one spend of points returned, as rate-limiter-flexible reports it. */
export interface SpendOutcome {
  /** Points counted in the window after this spend, refused ones included. */
  consumedPoints: number;
  msBeforeNext: number;
}

/** One caller's share of a coalesced spend. */
export interface CoalescedDecision {
  allowed: boolean;
  /** Points left in the window after this caller's spend (0 when over). */
  remaining: number;
  msBeforeNext: number;
}

/**
 * Spends `total` points for `key` under `limit` in one call; resolves even when the limit is
 * exceeded (the caller decides per waiter), rejects only when the limiter itself failed.
 */
export type SpendPoints = (key: string, limit: number, total: number) => Promise<SpendOutcome>;

interface Waiter {
  cost: number;
  resolve: (decision: CoalescedDecision) => void;
  reject: (err: unknown) => void;
}

/**
 * Coalesces the rate-limit spends of one key that arrive in the same turn of the event loop into
 * one call (one Redis round trip instead of one per request), then answers each caller as if the
 * spends had been made one after the other in arrival order: caller i is allowed when the points
 * counted before the batch plus the costs of callers 1..i stay within the limit. As with separate
 * calls, refused points are counted too, so the result is the same, only cheaper.
 */
export class CoalescedConsumer {
  private readonly pending = new Map<string, { key: string; limit: number; waiters: Waiter[] }>();
  private scheduled = false;

  constructor(private readonly spend: SpendPoints) {}

  consume(key: string, limit: number, cost: number): Promise<CoalescedDecision> {
    return new Promise((resolve, reject) => {
      const batchKey = `${limit}:${key}`;
      let batch = this.pending.get(batchKey);
      if (!batch) {
        batch = { key, limit, waiters: [] };
        this.pending.set(batchKey, batch);
      }
      batch.waiters.push({ cost, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: every request read in it joins the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const { key, limit, waiters } of batches) {
      const total = waiters.reduce((sum, w) => sum + w.cost, 0);
      this.spend(key, limit, total).then(
        (outcome) => answer(waiters, limit, total, outcome),
        (err: unknown) => {
          for (const w of waiters) w.reject(err);
        },
      );
    }
  }
}

function answer(waiters: readonly Waiter[], limit: number, total: number, outcome: SpendOutcome): void {
  let counted = outcome.consumedPoints - total;
  for (const w of waiters) {
    counted += w.cost;
    w.resolve({
      allowed: counted <= limit,
      remaining: Math.max(0, limit - counted),
      msBeforeNext: outcome.msBeforeNext,
    });
  }
}
