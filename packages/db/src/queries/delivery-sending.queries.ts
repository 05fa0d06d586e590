import type { Sql, TransactionSql } from 'postgres';
import type { RawRow } from '../raw-row.js';
import type { Delivery } from '../tables/deliveries.table.js';
import type { DeliveryAttempt } from '../tables/delivery-attempts.table.js';
import type { Endpoint } from '../tables/endpoints.table.js';
import type { StoredEvent } from '../tables/events.table.js';

/**
 * Everything the deliverer needs to send one delivery, read in one query. `replays` is the
 * delivery's current run: a job of another run does not send. `nextAttemptAt` is null unless the
 * status is failed.
 */
export interface DeliveryToSend extends Pick<
  Delivery,
  'id' | 'organizationId' | 'status' | 'attempts' | 'replays' | 'nextAttemptAt'
> {
  event: Pick<StoredEvent, 'id' | 'type' | 'occurredAt' | 'receivedAt' | 'payload'>;
  endpoint: Pick<
    Endpoint,
    | 'id'
    | 'url'
    | 'enabled'
    | 'secret'
    | 'previousSecret'
    | 'previousSecretExpiresAt'
    | 'headers'
    | 'maxAttempts'
    | 'timeoutMs'
  >;
}

/** The statement's flat row: the delivery's columns, then its event's and its endpoint's, their ids aliased. */
type DeliveryToSendRow = RawRow<
  Omit<DeliveryToSend, 'event' | 'endpoint'> &
    Omit<DeliveryToSend['event'], 'id'> &
    Omit<DeliveryToSend['endpoint'], 'id'> & { eventId: string; endpointId: string }
>;

/**
 * Loads deliveries with their event and endpoint, many at once (the deliverer batches job lookups).
 * One id Postgres refuses (not a uuid) fails the statement for every id: callers check ids first,
 * and read a refused batch again with `writeIsolatingRefusedRows`, so only that id's job fails.
 */
export async function loadDeliveriesToSend(
  sql: Sql | TransactionSql,
  ids: readonly string[],
): Promise<Map<string, DeliveryToSend>> {
  const rows = await sql<DeliveryToSendRow[]>`
    -- Each delivery by primary key, then its event and its endpoint by primary key. The statement
    -- is prepared once per connection and planned with the statistics of that moment: left to
    -- itself it started from the (small) endpoints table and scanned all of an endpoint's
    -- deliveries, or, planned on a new deployment's empty tables, scanned all of deliveries and of
    -- events on every load. Each cost more with every event stored. LIMIT 1 keeps every lookup a
    -- per-key index probe whatever the statistics: the planner cannot turn it into a join.
    SELECT d.id, d.organization_id, d.status, d.attempts, d.replays, d.next_attempt_at,
           e.id AS event_id, e.type, e.occurred_at, e.received_at, e.payload,
           en.id AS endpoint_id, en.url, en.enabled, en.secret, en.previous_secret, en.previous_secret_expires_at,
           en.headers, en.max_attempts, en.timeout_ms
    FROM unnest(${ids as string[]}::uuid[]) AS k (id)
    CROSS JOIN LATERAL (SELECT * FROM deliveries WHERE id = k.id LIMIT 1) d
    CROSS JOIN LATERAL (SELECT * FROM events WHERE id = d.event_id LIMIT 1) e
    CROSS JOIN LATERAL (SELECT * FROM endpoints WHERE id = d.endpoint_id LIMIT 1) en`;
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        organizationId: r.organization_id,
        status: r.status,
        attempts: r.attempts,
        replays: r.replays,
        nextAttemptAt: r.next_attempt_at,
        event: {
          id: r.event_id,
          type: r.type,
          occurredAt: r.occurred_at,
          receivedAt: r.received_at,
          payload: r.payload,
        },
        endpoint: {
          id: r.endpoint_id,
          url: r.url,
          enabled: r.enabled,
          secret: r.secret,
          previousSecret: r.previous_secret,
          previousSecretExpiresAt: r.previous_secret_expires_at,
          headers: r.headers,
          maxAttempts: r.max_attempts,
          timeoutMs: r.timeout_ms,
        },
      },
    ]),
  );
}

/**
 * One attempt and the delivery state it leads to: the attempt's row, the run (the delivery's
 * `replays` counter) it belongs to, and the delivery's status and next attempt after it.
 */
export type AttemptRecord = Pick<
  DeliveryAttempt,
  | 'deliveryId'
  | 'organizationId'
  | 'attempt'
  | 'statusCode'
  | 'durationMs'
  | 'errorKind'
  | 'error'
  | 'responseBody'
> &
  Pick<Delivery, 'replays' | 'status' | 'nextAttemptAt'>;

/**
 * Inserts attempts and updates their deliveries, for many attempts in one statement (the deliverer
 * group-commits them, so recording never costs a round trip per webhook). One record Postgres
 * refuses fails the statement for every record: text from receivers is made storable before it gets
 * here (`toStorableText`), and the deliverer writes a refused batch again with
 * `writeIsolatingRefusedRows`, so only the refused record's delivery fails.
 *
 * An attempt is recorded only while its delivery's counter is one below it and its run is the
 * delivery's current one (compare-and-set), so the statement can be run again after the connection
 * died mid-way (it may have committed) without recording anything twice, a duplicate job's attempt
 * does not overwrite the first one's, and a late attempt of a run replayed since (whose counter the
 * replay set back to 0) does not count as the new run's. The
 * deliveries are locked in id order first: two such statements (two deliverers, or a deliverer and
 * the reconciler) could otherwise lock the same rows in opposite orders and deadlock.
 */
export async function recordAttempts(
  sql: Sql | TransactionSql,
  records: readonly AttemptRecord[],
): Promise<void> {
  await sql`
    WITH input AS (
      SELECT * FROM unnest(
        ${records.map((r) => r.deliveryId)}::uuid[],
        ${records.map((r) => r.organizationId)}::uuid[],
        ${records.map((r) => r.attempt)}::int[],
        ${records.map((r) => r.replays)}::int[],
        ${records.map((r) => r.statusCode)}::int[],
        ${records.map((r) => r.durationMs)}::int[],
        ${records.map((r) => r.errorKind)}::text[],
        ${records.map((r) => r.error)}::text[],
        ${records.map((r) => r.responseBody)}::text[],
        ${records.map((r) => r.status)}::text[],
        ${records.map((r) => r.nextAttemptAt?.toISOString() ?? null)}::timestamptz[]
      ) AS t (delivery_id, organization_id, attempt, replays, status_code, duration_ms, error_kind, error, response_body, status, next_attempt_at)
    ), locked AS (
      -- The delivery (with its event) may have been removed by retention meanwhile: no row, no lock.
      -- One primary-key probe per id, in id order (the nested loop keeps the outer order), whatever
      -- the statistics the prepared plan was made with: planned on empty tables, = ANY(…) became
      -- a scan of all deliveries.
      SELECT d.id, d.attempts, d.replays
      FROM (SELECT DISTINCT id FROM unnest(${records.map((r) => r.deliveryId)}::uuid[]) AS k (id) ORDER BY id) k
      CROSS JOIN LATERAL (SELECT id, attempts, replays FROM deliveries WHERE id = k.id FOR UPDATE) d
    ), fresh AS (
      SELECT i.* FROM input i JOIN locked l ON l.id = i.delivery_id
      WHERE l.attempts = i.attempt - 1 AND l.replays = i.replays
    ), attempts AS (
      INSERT INTO delivery_attempts (delivery_id, organization_id, attempt, status_code, duration_ms, error_kind, error, response_body)
      SELECT delivery_id, organization_id, attempt, status_code, duration_ms, error_kind, error, response_body
      FROM fresh
    )
    UPDATE deliveries d
    SET status = i.status,
        attempts = i.attempt,
        last_status_code = i.status_code,
        last_error = i.error,
        next_attempt_at = i.next_attempt_at,
        delivered_at = CASE WHEN i.status = 'delivered' THEN now() ELSE d.delivered_at END,
        updated_at = now()
    FROM fresh i
    WHERE d.id = i.delivery_id`;
}

/** Marks a delivery dead without an attempt (its endpoint was disabled or deleted before sending). */
export async function markDeliveryDead(sql: Sql, deliveryId: string, reason: string): Promise<void> {
  await sql`
    UPDATE deliveries SET status = 'dead', last_error = ${reason}, next_attempt_at = NULL, updated_at = now()
    WHERE id = ${deliveryId} AND status IN ('pending', 'failed')`;
}

/** Disables an endpoint, keeping why; idempotent. */
export async function disableEndpoint(sql: Sql, endpointId: string, reason: string): Promise<boolean> {
  const rows = await sql`
    UPDATE endpoints SET enabled = false, disabled_reason = ${reason}, updated_at = now()
    WHERE id = ${endpointId} AND enabled`;
  return rows.count > 0;
}

/** The dead letter queue's size (deliveries whose attempts are exhausted). */
export async function countDeadDeliveries(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM deliveries WHERE status = 'dead'`;
  return row?.n ?? 0;
}

/** An unfinished delivery's current run, as the reconciler re-queues it. */
export type StalledDelivery = Pick<Delivery, 'id' | 'eventId' | 'endpointId' | 'organizationId' | 'replays'>;

/**
 * Unfinished deliveries that should have moved long ago: pending and untouched, or failed with a
 * retry overdue. Their job may have vanished (Redis lost its data); the reconciler checks BullMQ.
 */
export async function findStalledDeliveries(
  sql: Sql,
  olderThanSeconds: number,
  limit: number,
): Promise<StalledDelivery[]> {
  const rows = await sql<RawRow<StalledDelivery>[]>`
    SELECT id, event_id, endpoint_id, organization_id, replays FROM deliveries
    WHERE status IN ('pending', 'failed')
      AND updated_at < now() - make_interval(secs => ${olderThanSeconds})
      AND (next_attempt_at IS NULL OR next_attempt_at < now() - make_interval(secs => ${olderThanSeconds}))
    ORDER BY updated_at
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    organizationId: r.organization_id,
    replays: r.replays,
  }));
}

/**
 * Touches deliveries the reconciler re-queued, so that its next run does not pick them again while
 * their new job waits. Rows another transaction holds (a deliverer recording an attempt) are skipped
 * rather than waited for: that transaction updates them anyway, and waiting could deadlock with it.
 */
export async function touchDeliveries(sql: Sql, ids: readonly string[]): Promise<void> {
  await sql`
    UPDATE deliveries SET updated_at = now()
    WHERE id IN (
      SELECT id FROM deliveries WHERE id = ANY(${ids as string[]}::uuid[])
      ORDER BY id FOR UPDATE SKIP LOCKED
    )`;
}
