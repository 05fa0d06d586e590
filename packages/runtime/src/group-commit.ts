import { withTimeout } from './with-timeout.js';

export interface GroupCommitOptions {
  /** Flush as soon as this many rows wait (a single submission may exceed it; it is never split). */
  maxRows: number;
  /** Flush at the latest this long after the first row arrived. */
  maxWaitMs: number;
  /** Writes in flight at once; rows arriving meanwhile gather into the next, larger batch. */
  maxConcurrentFlushes: number;
  /** Give up waiting for one write after this long (it may still complete: callers must not assume it did not). */
  timeoutMs: number;
}

export interface GroupCommitHooks<Row = unknown, Result = unknown> {
  flushed?: (rows: number, seconds: number) => void;
  /** How a batch whose write refused some rows is written again so that only their submissions fail. */
  isolate?: IsolatedWrite<Row, Result>;
  /** What submitters receive when their write failed (e.g. a domain error class). */
  toError?: (err: unknown) => Error;
}

/**
 * Row isolation for a group commit: when one submission's rows are refused (bad data, not an
 * unavailable database), the others must not fail with them, nor be written one at a time.
 */
export interface IsolatedWrite<Row, Result> {
  /** Errors that mean some rows were refused, rather than that the write could not happen. */
  refuses: (err: unknown) => boolean;
  /**
   * Writes the batch again, one group per submission, in one transaction in which a refused group
   * fails alone (in Postgres: `writeIsolatingRefusedRows` of @triggers/db); one outcome per group,
   * in order. Rejects only when nothing could be written (every submission then fails).
   */
  write: (groups: Row[][], firstError: unknown) => Promise<PromiseSettledResult<Result>[]>;
}

/** Writes rows in one statement and one commit; its result is shared by every submission of the batch. */
export type WriteRows<Row, Result> = (rows: Row[]) => Promise<Result>;

interface Submission<Row, Result> {
  rows: Row[];
  resolve: (result: Result) => void;
  reject: (err: Error) => void;
}

/**
 * Group commit: concurrent callers share one multi-row write and one commit, and each is answered
 * only once the write carrying its rows has committed. This is how the ingest API makes 202 mean
 * "durable" without one fsync per request, and how the deliverer records attempts without one
 * round trip per webhook.
 */
export class GroupCommitter<Row, Result> {
  private pending: Submission<Row, Result>[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly write: WriteRows<Row, Result>,
    private readonly options: GroupCommitOptions,
    private readonly hooks: GroupCommitHooks<Row, Result> = {},
  ) {}

  /** Resolves with the result of the write that carried these rows, once it committed. */
  submit(rows: Row[]): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      this.pendingRows += rows.length;
      this.schedule();
    });
  }

  /** Flushes what is pending and resolves once nothing is pending or in flight (for shutdown). */
  drain(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    this.flushDue();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.pendingRows >= this.options.maxRows) {
      this.flushDue();
    } else if (this.pending.length > 0 && this.timer === undefined) {
      // 0: flush once this turn of the event loop has read every request that arrived with it
      // (setTimeout(0) would wait a whole millisecond).
      this.timer =
        this.options.maxWaitMs === 0
          ? setImmediate(() => this.flushDue())
          : setTimeout(() => this.flushDue(), this.options.maxWaitMs);
    }
  }

  /** Starts as many writes as pending rows and the concurrency limit allow. */
  private flushDue(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    while (this.pending.length > 0 && this.inFlight < this.options.maxConcurrentFlushes) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        // Rows that gathered while every connection was busy go out now, as one larger batch.
        if (this.pending.length > 0) this.flushDue();
        else if (this.inFlight === 0) this.notifyIdle();
      });
    }
  }

  private takeBatch(): Submission<Row, Result>[] {
    const batch: Submission<Row, Result>[] = [];
    let rows = 0;
    while (
      this.pending.length > 0 &&
      (batch.length === 0 || rows + this.pending[0]!.rows.length <= this.options.maxRows)
    ) {
      const next = this.pending.shift()!;
      batch.push(next);
      rows += next.rows.length;
    }
    this.pendingRows -= rows;
    return batch;
  }

  private async commit(batch: Submission<Row, Result>[]): Promise<void> {
    const rows = batch.flatMap((s) => s.rows);
    const started = performance.now();
    try {
      const result = await this.writeWithTimeout(rows);
      this.hooks.flushed?.(rows.length, (performance.now() - started) / 1000);
      for (const s of batch) s.resolve(result);
    } catch (err) {
      if (batch.length > 1 && this.hooks.isolate?.refuses(err)) {
        await this.commitIsolated(batch, err, started);
        return;
      }
      const failure = this.failure(err);
      for (const s of batch) s.reject(failure);
    }
  }

  /**
   * The batch's write refused some rows: written again by the isolating write (one more
   * transaction), each submission answered by its own outcome. Never one write per submission.
   */
  private async commitIsolated(
    batch: Submission<Row, Result>[],
    firstError: unknown,
    started: number,
  ): Promise<void> {
    let outcomes: PromiseSettledResult<Result>[];
    try {
      outcomes = await withTimeout(
        this.hooks.isolate!.write(
          batch.map((s) => s.rows),
          firstError,
        ),
        this.options.timeoutMs,
        'write',
      );
    } catch (err) {
      const failure = this.failure(err);
      for (const s of batch) s.reject(failure);
      return;
    }
    this.hooks.flushed?.(
      batch.reduce((n, s) => n + s.rows.length, 0),
      (performance.now() - started) / 1000,
    );
    batch.forEach((s, i) => {
      const outcome = outcomes[i];
      if (outcome?.status === 'fulfilled') s.resolve(outcome.value);
      else s.reject(this.failure(outcome ? outcome.reason : new Error('no outcome for this submission')));
    });
  }

  private failure(err: unknown): Error {
    return this.hooks.toError?.(err) ?? (err instanceof Error ? err : new Error(String(err)));
  }

  private writeWithTimeout(rows: Row[]): Promise<Result> {
    return withTimeout(this.write(rows), this.options.timeoutMs, 'write');
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
