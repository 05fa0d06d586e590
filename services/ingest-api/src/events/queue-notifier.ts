import type { Logger } from '@triggers/runtime';

/**
 * Tells the processors that events were committed, at most once per `intervalMs`: the first commit
 * after a quiet spell notifies at once (lowest latency when traffic is light), and under load the
 * processors hear of new rows every interval or so while their loops are busy anyway. Postgres
 * serializes the commits of notifying transactions, which is why not every commit notifies.
 *
 * The notification travels inside a commit (`takeSlot`), not as a transaction of its own, whenever
 * a commit starts once the interval is over: it also announces the commits that completed before
 * it started. Only when no such commit stores anything within the next interval does a NOTIFY of
 * its own go out, so no commit waits more than two intervals to be announced. (Under sustained load
 * a NOTIFY of its own at the end of every interval had cost a round trip and a transaction every
 * 2 ms.)
 */
export class QueueNotifier {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** When the latest commit that no notification has announced yet completed. */
  private owedAt: number | undefined;
  private trailing: NodeJS.Timeout | undefined;
  /** When the pending notification of its own goes out. */
  private trailingAt: number | undefined;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /**
   * Whether a commit about to start should carry the notification: once the interval since the
   * last one is over, the time the slot was taken (for `carried`), else undefined.
   */
  takeSlot(): number | undefined {
    const now = performance.now();
    if (this.lastSentAt + this.intervalMs > now) return undefined;
    this.lastSentAt = now;
    return now;
  }

  /** The commit that took the slot at `takenAt` stored events, and so notified. */
  carried(takenAt: number): void {
    if (this.owedAt === undefined) return;
    // It announced every commit completed before it started.
    if (this.owedAt < takenAt) {
      this.owedAt = undefined;
      this.clearTrailing();
      return;
    }
    // Commits completed since it started are still owed (with concurrent flushes, nearly always
    // one): they completed after `takenAt`, so the next interval's first commit may still carry
    // their notification within two intervals of them.
    this.scheduleTrailing(Math.max(this.trailingAt ?? 0, takenAt + 2 * this.intervalMs));
  }

  /** Events were just committed without carrying a notification. */
  committed(): void {
    this.owedAt = performance.now();
    if (this.trailing) return;
    if (this.lastSentAt + 2 * this.intervalMs <= this.owedAt) {
      this.notify();
      return;
    }
    this.scheduleTrailing(this.lastSentAt + 2 * this.intervalMs);
  }

  /** Drops a pending trailing notification (shutdown: the processors poll anyway). */
  close(): void {
    this.clearTrailing();
  }

  private scheduleTrailing(at: number): void {
    this.clearTrailing();
    this.trailingAt = at;
    this.trailing = setTimeout(
      () => {
        this.trailing = undefined;
        this.trailingAt = undefined;
        this.notify();
      },
      Math.max(0, at - performance.now()),
    );
  }

  private clearTrailing(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.trailingAt = undefined;
  }

  private notify(): void {
    this.lastSentAt = performance.now();
    this.owedAt = undefined;
    // A lost notification costs latency, never events: processors also poll an idle queue.
    this.send().catch((err: unknown) => this.log.warn({ err }, 'NOTIFY to the processors failed'));
  }
}
