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

/** Points counted in the store for this process's coming requests, spent here without a call. */
interface Lease {
  points: number;
  /** Points of the window used so far, this process's lease excluded (for `remaining`). */
  used: number;
  /** End of the store's window (local clock): the points are gone with it. */
  expiresAt: number;
}

/** How many points to lease beyond a batch's own, for a key's limit (0: none). */
export type LeaseSize = (limit: number) => number;

/**
 * Coalesces the rate-limit spends of one key that arrive in the same turn of the event loop into
 * one call (one Redis round trip instead of one per request), then answers each caller as if the
 * spends had been made one after the other in arrival order: caller i is allowed when the points
 * counted before the batch plus the costs of callers 1..i stay within the limit. As with separate
 * calls, refused points are counted too, so the result is the same, only cheaper.
 *
 * With `leaseSize`, each call also takes up to that many points more, while they fit under the
 * limit, and the requests that follow spend them here until they run out or the window ends: one
 * call per lease instead of one per request when requests come one at a time (a spend larger than
 * what the lease holds takes the rest from the store). Nothing is ever allowed beyond the limit (a
 * lease ends when the window that counted it may have ended, timed from when the call was sent);
 * what a lease still holds then was counted but not used, so with N processes an organization may
 * get up to N leases fewer than its limit in a window.
 */
export class CoalescedConsumer {
  private readonly pending = new Map<string, { key: string; limit: number; waiters: Waiter[] }>();
  private readonly leases = new Map<string, Lease>();
  /** Keys with a call in flight that takes a lease: concurrent calls would each take one, and lose all but the last. */
  private readonly leasing = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly spend: SpendPoints,
    private readonly leaseSize: LeaseSize = () => 0,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  consume(key: string, limit: number, cost: number): Promise<CoalescedDecision> {
    const batchKey = `${limit}:${key}`;
    const lease = this.leases.get(batchKey);
    let owed = cost;
    if (lease) {
      const now = this.now();
      if (now < lease.expiresAt && lease.points >= cost) {
        lease.points -= cost;
        lease.used += cost;
        return Promise.resolve({
          allowed: true,
          remaining: Math.max(0, limit - lease.used),
          msBeforeNext: lease.expiresAt - now,
        });
      }
      // Too small: it pays what it holds and the store is asked for the rest (should the rest be
      // refused, those points are spent as a refused request's are). Expired: its points went
      // with the window that counted them.
      if (now < lease.expiresAt) owed -= lease.points;
      this.leases.delete(batchKey);
    }
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(batchKey);
      if (!batch) {
        batch = { key, limit, waiters: [] };
        this.pending.set(batchKey, batch);
      }
      batch.waiters.push({ cost: owed, resolve, reject });
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
    this.forgetExpiredLeases();
    for (const { key, limit, waiters } of batches) {
      const batchKey = `${limit}:${key}`;
      const total = waiters.reduce((sum, w) => sum + w.cost, 0);
      const takesLease = !this.leasing.has(batchKey) && !this.leases.has(batchKey);
      const extra = takesLease ? Math.max(0, Math.floor(this.leaseSize(limit))) : 0;
      if (extra > 0) this.leasing.add(batchKey);
      const sentAt = this.now();
      this.spend(key, limit, total + extra)
        .then(
          (outcome) => {
            const counted = answer(waiters, limit, outcome.consumedPoints - total - extra, outcome);
            const points = Math.min(extra, limit - counted);
            if (points > 0) {
              this.leases.set(batchKey, {
                points,
                used: counted,
                expiresAt: sentAt + outcome.msBeforeNext,
              });
            }
          },
          (err: unknown) => {
            for (const w of waiters) w.reject(err);
          },
        )
        .finally(() => {
          if (extra > 0) this.leasing.delete(batchKey);
        });
    }
  }

  /** Leases of keys that went quiet would stay forever otherwise. */
  private forgetExpiredLeases(): void {
    if (this.leases.size < 1000) return;
    const now = this.now();
    for (const [batchKey, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(batchKey);
  }
}

/** Answers the waiters in arrival order from the points counted before them; returns the count after them. */
function answer(waiters: readonly Waiter[], limit: number, before: number, outcome: SpendOutcome): number {
  let counted = before;
  for (const w of waiters) {
    counted += w.cost;
    w.resolve({
      allowed: counted <= limit,
      remaining: Math.max(0, limit - counted),
      msBeforeNext: outcome.msBeforeNext,
    });
  }
  return counted;
}
