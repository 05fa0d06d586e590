import { insertQueuedEvents, type QueueInsertRow, type Sql } from '@triggers/db';
import { GroupCommitter, type GroupCommitOptions } from '@triggers/runtime';
import type { IngestMetrics } from '../metrics.js';
import type { QueueNotifier } from './queue-notifier.js';

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

/** The ingest path's group commit into event_queue; its result is the set of ids the INSERT wrote. */
export type QueueCommitter = GroupCommitter<QueueInsertRow, Set<string>>;

export function createQueueCommitter(
  sql: Sql,
  options: GroupCommitOptions,
  metrics: IngestMetrics,
  notifier: QueueNotifier,
): QueueCommitter {
  const insert: InsertRows = (rows, notify) => insertQueuedEvents(sql, rows, { notify });
  return new GroupCommitter((rows) => writeAndAnnounce(insert, notifier, rows), options, {
    flushed: (rows, seconds) => {
      metrics.groupCommitRows.observe(rows);
      metrics.groupCommitDuration.observe(seconds);
    },
    // One request's rows must not fail the others that happened to share its INSERT.
    isolates: isDataError,
    toError: (err) => {
      const failure = isDataError(err) ? new RowsRefusedError(err) : new StorageUnavailableError(err);
      metrics.groupCommitFailures.inc({ kind: isDataError(err) ? 'data' : 'unavailable' });
      return failure;
    },
  });
}

/** The group commit's INSERT; with `notify`, its commit also notifies the processors if it stored rows. */
export type InsertRows = (rows: QueueInsertRow[], notify: boolean) => Promise<Set<string>>;

/**
 * One group-commit write: the INSERT, carrying the processors' notification when its turn has
 * come, then the notifier told what was stored. A write that stored nothing (duplicates only) or
 * failed announced nothing, so it tells the notifier nothing: earlier commits stay owed.
 */
export async function writeAndAnnounce(
  insert: InsertRows,
  notifier: QueueNotifier,
  rows: QueueInsertRow[],
): Promise<Set<string>> {
  const slot = notifier.takeSlot();
  const inserted = await insert(rows, slot !== undefined);
  if (inserted.size > 0) {
    if (slot === undefined) notifier.committed();
    else notifier.carried(slot);
  }
  return inserted;
}

/**
 * The ids of `rows` that the INSERT wrote, removed from the batch's shared `inserted` set as they
 * are claimed: when two requests in one batch carry the same dedup_id, only the first to claim is
 * told its event was accepted.
 */
export function claimInserted(inserted: Set<string>, rows: readonly QueueInsertRow[]): Set<string> {
  const own = new Set<string>();
  for (const row of rows) if (inserted.delete(row.id)) own.add(row.id);
  return own;
}

/** SQLSTATE classes 22 (data exception) and 54 (limit exceeded) mean the rows themselves are bad. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}
