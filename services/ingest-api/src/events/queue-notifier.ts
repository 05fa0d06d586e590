import type { Logger } from '@triggers/runtime';

/**
 * Tells the processors that events were committed, at most once per `intervalMs`: the first commit
 * after a quiet spell notifies at once (lowest latency when traffic is light), commits during the
 * interval share one trailing notification at its end (so none is left unannounced), and under
 * load the processors hear of new rows every `intervalMs` while their loops are busy anyway.
 * Each NOTIFY is a transaction Postgres serializes with every other notifying one, which is why
 * they are not sent per commit.
 */
export class QueueNotifier {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Events were just committed. */
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
