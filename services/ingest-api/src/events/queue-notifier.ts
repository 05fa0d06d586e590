import type { Logger } from '@triggers/runtime';

/**
 * Tells the processors that events were committed, at most once per `intervalMs`: the first commit
 * after a quiet spell notifies at once (lowest latency when traffic is light), commits during the
 * interval share one trailing notification at its end (so none is left unannounced), and under
 * load the processors hear of new rows every `intervalMs` while their loops are busy anyway.
 * Postgres serializes the commits of notifying transactions, which is why not every commit notifies.
 *
 * The notification that is due at once travels inside the commit that needs it (`takeSlot`), not
 * as a transaction of its own: at a steady few hundred requests per second nearly every commit is
 * the first of its interval, and a separate NOTIFY doubled the round trips and transactions.
 */
export class QueueNotifier {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /**
   * Whether a commit about to start should carry the notification itself: true when one would be
   * sent at once, and then counted as sent. A commit that carries it needs no `committed()` call.
   */
  takeSlot(): boolean {
    if (this.trailing || this.lastSentAt + this.intervalMs > performance.now()) return false;
    this.lastSentAt = performance.now();
    return true;
  }

  /** Events were just committed without carrying a notification. */
  committed(): void {
    if (this.trailing) return;
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.notify();
      return;
    }
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      this.notify();
    }, wait);
  }

  /** Drops a pending trailing notification (shutdown: the processors poll anyway). */
  close(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private notify(): void {
    this.lastSentAt = performance.now();
    // A lost notification costs latency, never events: processors also poll an idle queue.
    this.send().catch((err: unknown) => this.log.warn({ err }, 'NOTIFY to the processors failed'));
  }
}
