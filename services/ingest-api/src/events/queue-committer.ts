import {
  insertQueuedEventParams,
  isRefusedRowError,
  writeIsolatingRefusedRows,
  type QueuedEventParams,
  type Sql,
} from '@triggers/db';
import { GroupCommitter, type GroupCommitOptions, type Logger } from '@triggers/runtime';
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
export type QueueCommitter = GroupCommitter<QueuedEventParams, Set<string>>;

/**
 * Concurrent requests share one INSERT. When Postgres refuses a row, the batch is written again
 * in one transaction in which only the refusing request's rows fail (`writeIsolatingRefusedRows`);
 * the other requests commit there. A refusal is counted as kind "data", never as unavailability.
 */
export function createQueueCommitter(
  sql: Sql,
  options: GroupCommitOptions,
  metrics: IngestMetrics,
  notifier: QueueNotifier,
  log: Logger,
): QueueCommitter {
  return new GroupCommitter(
    (rows) =>
      writeAndAnnounce(
        notifier,
        (notify) => insertQueuedEventParams(sql, rows, { notify }),
        (inserted) => inserted.size > 0,
      ),
    options,
    {
      flushed: (rows, seconds) => {
        metrics.groupCommitRows.observe(rows);
        metrics.groupCommitDuration.observe(seconds);
      },
      isolate: {
        refuses: isRefusedRowError,
        // The rows committed here are announced like any others: the notification rides in the
        // savepoints that stored rows (Postgres drops it with a savepoint rolled back).
        write: (groups, firstError) =>
          writeAndAnnounce(
            notifier,
            (notify) =>
              writeIsolatingRefusedRows(
                sql,
                groups,
                (trx, rows) => insertQueuedEventParams(trx, rows, { notify }),
                firstError,
              ),
            (outcomes) => outcomes.some((o) => o.status === 'fulfilled' && o.value.size > 0),
          ),
      },
      // Called once per failed request when rows were refused, once per failed write otherwise.
      toError: (err) => {
        const refused = isRefusedRowError(err);
        metrics.groupCommitFailures.inc({ kind: refused ? 'data' : 'unavailable' });
        if (!refused) return new StorageUnavailableError(err);
        // Validation let through a value Postgres refuses: a gap to close. Postgres' message can
        // quote the tenant's value, so only where it was refused is logged, never the message.
        const {
          code,
          column_name: column,
          routine,
        } = err as { code?: string; column_name?: string; routine?: string };
        log.warn(
          { code, column, routine },
          'event rows refused by the database: their request answered 422, the others stored',
        );
        return new RowsRefusedError(err);
      },
    },
  );
}

/**
 * One group-commit write: carrying the processors' notification when its turn has come (`notify`),
 * then the notifier told whether it stored anything. A write that stored nothing (duplicates only,
 * or every row refused) or failed announced nothing, so it tells the notifier nothing: earlier
 * commits stay owed.
 */
export async function writeAndAnnounce<Result>(
  notifier: QueueNotifier,
  write: (notify: boolean) => Promise<Result>,
  stored: (result: Result) => boolean,
): Promise<Result> {
  const slot = notifier.takeSlot();
  const result = await write(slot !== undefined);
  if (stored(result)) {
    if (slot === undefined) notifier.committed();
    else notifier.carried(slot);
  }
  return result;
}

/**
 * The ids of `rows` that the INSERT wrote, removed from the batch's shared `inserted` set as they
 * are claimed: when two requests in one batch carry the same dedup_id, only the first to claim is
 * told its event was accepted.
 */
export function claimInserted(inserted: Set<string>, rows: readonly { id: string }[]): Set<string> {
  const own = new Set<string>();
  for (const row of rows) if (inserted.delete(row.id)) own.add(row.id);
  return own;
}
