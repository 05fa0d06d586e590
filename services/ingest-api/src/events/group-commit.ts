import type { QueueInsertRow } from '@triggers/db';

/** Postgres did not answer, or not in time: the rows may or may not be stored; the client must retry. */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('event storage unavailable', { cause });
    this.name = 'StorageUnavailableError';
  }
}

/** Postgres refused the rows themselves (a data error): retrying the same rows cannot succeed. */
export class RowsRefusedError extends Error {
  constructor(cause: unknown) {
    super('event rows refused by the database', { cause });
    this.name = 'RowsRefusedError';
  }
}

export interface GroupCommitOptions {
  /** Flush as soon as this many rows wait (a single submission may exceed it; it is never split). */
  maxRows: number;
  /** Flush at the latest this long after the first row arrived. */
  maxWaitMs: number;
  /** INSERTs in flight at once; rows arriving meanwhile gather into the next, larger batch. */
  maxConcurrentFlushes: number;
  /** Give up waiting for one INSERT after this long and answer 503. */
  timeoutMs: number;
}

export interface GroupCommitObserver {
  flushed(rows: number, seconds: number): void;
  failed(kind: 'unavailable' | 'data'): void;
}

/** Inserts rows in one statement and one commit; resolves with the ids it inserted (the rest were duplicates). */
export type InsertRows = (rows: QueueInsertRow[]) => Promise<Set<string>>;

interface Submission {
  rows: QueueInsertRow[];
  resolve: (inserted: Set<string>) => void;
  reject: (err: Error) => void;
}

/**
 * Group commit: concurrent requests share one multi-row INSERT and one commit, and each is answered
 * only when the INSERT carrying its rows has committed. This is what lets a 202 mean "durable"
 * without paying one fsync per request.
 */
export class GroupCommitter {
  private pending: Submission[] = [];
  private pendingRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly insert: InsertRows,
    private readonly options: GroupCommitOptions,
    private readonly observer: GroupCommitObserver = { flushed: () => {}, failed: () => {} },
  ) {}

  /** Resolves with the ids of these rows that were inserted (the others were duplicates), once committed. */
  submit(rows: QueueInsertRow[]): Promise<Set<string>> {
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
      this.timer = setTimeout(() => this.flushDue(), this.options.maxWaitMs);
    }
  }

  /** Starts as many INSERTs as pending rows and the concurrency limit allow. */
  private flushDue(): void {
    clearTimeout(this.timer);
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

  private takeBatch(): Submission[] {
    const batch: Submission[] = [];
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

  private async commit(batch: Submission[]): Promise<void> {
    const rows = batch.flatMap((s) => s.rows);
    const started = performance.now();
    try {
      const inserted = await this.insertWithTimeout(rows);
      this.observer.flushed(rows.length, (performance.now() - started) / 1000);
      for (const s of batch) s.resolve(claimInserted(inserted, s.rows));
    } catch (err) {
      if (isDataError(err) && batch.length > 1) {
        // One request's rows must not fail the others that happened to share its INSERT.
        for (const s of batch) await this.commit([s]);
        return;
      }
      const failure = isDataError(err) ? new RowsRefusedError(err) : new StorageUnavailableError(err);
      this.observer.failed(failure instanceof RowsRefusedError ? 'data' : 'unavailable');
      for (const s of batch) s.reject(failure);
    }
  }

  private insertWithTimeout(rows: QueueInsertRow[]): Promise<Set<string>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`insert timed out after ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    return Promise.race([this.insert(rows), timeout]).finally(() => clearTimeout(timer));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * The ids of `rows` that the INSERT wrote, removed from `inserted` as they are claimed: when two
 * requests in one batch carry the same dedup_id, only the first is told its event was accepted.
 */
function claimInserted(inserted: Set<string>, rows: QueueInsertRow[]): Set<string> {
  const own = new Set<string>();
  for (const row of rows) if (inserted.delete(row.id)) own.add(row.id);
  return own;
}

/** SQLSTATE classes 22 (data exception) and 54 (limit exceeded) mean the rows themselves are bad. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}
