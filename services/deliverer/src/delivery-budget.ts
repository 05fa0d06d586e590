/**
 * How many deliveries this process holds at once, and how many it sends at once.
 *
 * Held: a job's deliveries are read from Postgres only once the process holds fewer than `limit`
 * (`hold`, in arrival order), and count until each is done. A batch job carries many deliveries:
 * without this, the worker's jobs could bring in far more than the process can send, and those
 * waiting for their endpoint too long would be postponed (a delayed job, more Redis work, a later
 * fetch) just when the machine has no time to spare. Jobs past the budget wait their turn instead,
 * holding nothing but their BullMQ lock.
 *
 * Sending: at most `limit` deliveries are between their circuit check and their recorded outcome
 * (`turn`), in arrival order, however many one batch brings: an endpoint's circuit or a 410 then
 * stops the rest of a batch as it stopped the jobs behind it when each delivery had its own.
 */
export class DeliveryBudget {
  private held = 0;
  private readonly holders: { deliveries: number; grant: (granted: boolean) => void }[] = [];
  private closed = false;
  private sending = 0;
  private readonly turns: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Waits until fewer than `limit` deliveries are held (a job larger than what is left still
   * goes, alone past the limit), then holds `deliveries`. `done` frees one, `end` what is left.
   * Undefined once the budget is closed: the job was not started and goes back to the queue.
   */
  async hold(deliveries: number): Promise<{ done: () => void; end: () => void } | undefined> {
    if (this.closed) return undefined;
    if (this.held < this.limit && this.holders.length === 0) this.held += deliveries;
    // Counted when granted (see free), so that no other job slips in between.
    else if (!(await new Promise<boolean>((grant) => this.holders.push({ deliveries, grant }))))
      return undefined;
    let left = deliveries;
    const free = (count: number) => {
      left -= count;
      this.held -= count;
      while (this.held < this.limit && this.holders.length > 0) {
        const next = this.holders.shift()!;
        this.held += next.deliveries;
        next.grant(true);
      }
    };
    return {
      done: () => {
        if (left > 0) free(1);
      },
      end: () => {
        if (left > 0) free(left);
      },
    };
  }

  /**
   * Shutdown: jobs still waiting for the budget are not started (they go back to the queue for
   * another deliverer instead of holding this one's shutdown); jobs started finish.
   */
  close(): void {
    this.closed = true;
    for (const holder of this.holders.splice(0)) holder.grant(false);
  }

  /** Waits for a sending turn; call the function it resolves with when the attempt is over. */
  async turn(): Promise<() => void> {
    if (this.sending >= this.limit) await new Promise<void>((resolve) => this.turns.push(resolve));
    else this.sending += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.turns.shift();
      if (next) next();
      else this.sending -= 1;
    };
  }

  /** Deliveries held now (for metrics and tests). */
  get deliveriesHeld(): number {
    return this.held;
  }
}
