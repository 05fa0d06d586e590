import type { Sql, TransactionSql } from 'postgres';
import type { QueuedEvent } from '../tables/event-queue.table.js';

/** The channel the ingest API notifies after committing events, so processors wake at once. */
export const EVENT_QUEUE_CHANNEL = 'triggers_event_queue';

/** A queue row as the ingest API writes it: all but its place in the queue, which Postgres gives. */
export type QueueInsertRow = Omit<QueuedEvent, 'seq'>;

/**
 * One event's statement parameters, built from its row on its own (`toQueuedEventParams`) before
 * it joins a batch: every conversion that can throw (a Date that cannot be written, a payload that
 * cannot be serialized) has then failed that row alone, never the statement it shares.
 */
export interface QueuedEventParams extends Omit<QueueInsertRow, 'payload' | 'occurredAt' | 'receivedAt'> {
  /** The payload as JSON text. */
  payload: string;
  /** ISO 8601. */
  occurredAt: string;
  /** ISO 8601. */
  receivedAt: string;
}

/** A row's statement parameters; throws (RangeError) for a date that cannot be written, for this row only. */
export function toQueuedEventParams(row: QueueInsertRow): QueuedEventParams {
  return {
    id: row.id,
    organizationId: row.organizationId,
    type: row.type,
    payload: JSON.stringify(row.payload),
    dedupId: row.dedupId,
    occurredAt: row.occurredAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
  };
}

/** `insertQueuedEventParams` for rows whose parameters are built here (tests, benchmarks, tools). */
export function insertQueuedEvents(
  sql: Sql,
  rows: readonly QueueInsertRow[],
  options: { notify: boolean } = { notify: false },
): Promise<Set<string>> {
  return insertQueuedEventParams(sql, rows.map(toQueuedEventParams), options);
}

/**
 * Inserts a group-commit batch in one statement and one commit, and returns the ids it inserted;
 * the rest were duplicates, already queued or already stored. When Postgres refuses one row, the
 * statement fails for every row of the batch: the group commit then writes the batch again with
 * `writeIsolatingRefusedRows`, so that only the refused row's request fails. With `notify`, the
 * same commit notifies the processors when it inserted anything. Postgres serializes the commits of
 * every transaction that notifies (one database-wide lock, held through the WAL flush), so the
 * caller asks for it on one commit at a time, not on every one.
 *
 * Written for postgres.js rather than kysely because it is the ingest hot path: one parameter
 * per column (arrays through unnest) keeps the statement prepared once, whatever the batch size,
 * and nothing is compiled per request. Payloads travel as JSON text and are cast to jsonb by
 * Postgres, so they are stored as objects, never as JSON strings. Nothing here converts a value
 * (see `QueuedEventParams`), so building the statement cannot throw for one row.
 */
export async function insertQueuedEventParams(
  sql: Sql | TransactionSql,
  rows: readonly QueuedEventParams[],
  options: { notify: boolean } = { notify: false },
): Promise<Set<string>> {
  const inserted = await sql<{ id: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${rows.map((r) => r.id)}::uuid[],
        ${rows.map((r) => r.organizationId)}::uuid[],
        ${rows.map((r) => r.type)}::text[],
        ${rows.map((r) => r.payload)}::text[],
        ${rows.map((r) => r.dedupId)}::text[],
        ${rows.map((r) => r.occurredAt)}::timestamptz[],
        ${rows.map((r) => r.receivedAt)}::timestamptz[]
      ) AS t (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
    ), inserted AS (
      INSERT INTO event_queue (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
      SELECT id, organization_id, type, payload::jsonb, dedup_id, occurred_at, received_at
      FROM input
      -- A deduplicated event that was already processed is no longer in the queue: look in events
      -- too. A scalar subquery, not NOT EXISTS: the plan is prepared once, and planned while events
      -- was small (a new deployment) NOT EXISTS became a hashed subplan that read every stored event
      -- into a hash table on every INSERT, costing more with each event stored.
      WHERE dedup_id IS NULL OR (SELECT true FROM events e WHERE e.id = input.id) IS NULL
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), notified AS (
      SELECT pg_notify(${EVENT_QUEUE_CHANNEL}, '') WHERE ${options.notify} AND EXISTS (SELECT 1 FROM inserted)
    )
    -- The filter only makes the statement run \`notified\` (a CTE no query reads is never run).
    SELECT id FROM inserted WHERE (SELECT count(*) FROM notified) >= 0`;
  return new Set(inserted.map((r) => r.id));
}

/** Wakes the processors: events were committed to the queue (a transaction of its own, no writes). */
export async function notifyEventsQueued(sql: Sql): Promise<void> {
  await sql`SELECT pg_notify(${EVENT_QUEUE_CHANNEL}, '')`;
}

/** Rows waiting in the queue. */
export async function countQueuedEvents(sql: Sql): Promise<number> {
  const [row] = await sql<{ depth: number }[]>`SELECT count(*)::int AS depth FROM event_queue`;
  return row?.depth ?? 0;
}

/** Age of the oldest queued event (by queue order, read from the primary key: cheap at any depth); 0 when empty. */
export async function oldestQueuedAgeSeconds(sql: Sql): Promise<number> {
  const [row] = await sql<{ age: number }[]>`
    SELECT extract(epoch FROM now() - received_at)::float8 AS age FROM event_queue ORDER BY seq LIMIT 1`;
  return Math.max(0, row?.age ?? 0);
}
