import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database.js';
import type { StoredEvent } from '../tables/events.table.js';
import { allOf, eventTypeCondition, exactTimestamp, type KeysetPosition } from './listing.js';

/**
 * What an event's deliveries add up to. `queued` while the event is still in event_queue; once
 * stored: `dead` if any delivery is dead, else `failed` if any delivery's last attempt failed (it
 * will be retried), else `accepted` if any delivery is pending or there are none, else `delivered`.
 */
export type EventStatus = 'queued' | 'accepted' | 'delivered' | 'failed' | 'dead';

/** An event as the API shows it: stored, or still queued (then `persistedAt` is null). */
export interface EventView extends Pick<
  StoredEvent,
  'id' | 'type' | 'payload' | 'dedupId' | 'occurredAt' | 'receivedAt' | 'acknowledgedAt'
> {
  persistedAt: StoredEvent['persistedAt'] | null;
  status: EventStatus;
  /** The listing position of this event (see `KeysetPosition`). */
  position: KeysetPosition;
}

export interface EventListFilter {
  /** Exact type, `prefix.*` or `*`. */
  type?: string;
  status?: EventStatus;
  /** received_at >= from */
  from?: Date;
  /** received_at < to */
  to?: Date;
  /** Continue after this position (newest first). */
  after?: KeysetPosition;
  limit: number;
}

// One row per event, whatever its number of deliveries: an aggregate without GROUP BY.
const storedStatus = sql<EventStatus>`(
  SELECT CASE
    WHEN bool_or(d.status = 'dead') THEN 'dead'
    WHEN bool_or(d.status = 'failed') THEN 'failed'
    WHEN count(*) = 0 OR bool_or(d.status = 'pending') THEN 'accepted'
    ELSE 'delivered'
  END
  FROM deliveries d WHERE d.event_id = e.id)`;

interface EventRow extends Omit<EventView, 'position'> {
  positionAt: string;
}

const toView = ({ positionAt, ...row }: EventRow): EventView => ({
  ...row,
  position: { at: positionAt, id: row.id },
});

/** The caller's event, stored or still queued; undefined when it is not the organization's. */
export async function findEvent(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<EventView | undefined> {
  const { rows } = await sql<EventRow>`
    SELECT e.id, e.type, e.payload, e.dedup_id, e.occurred_at, e.received_at, e.persisted_at,
           e.acknowledged_at, ${storedStatus} AS status, ${exactTimestamp('e.received_at')} AS position_at
    FROM events e WHERE e.id = ${id} AND e.organization_id = ${organizationId}
    UNION ALL
    SELECT q.id, q.type, q.payload, q.dedup_id, q.occurred_at, q.received_at, NULL, NULL, 'queued',
           ${exactTimestamp('q.received_at')}
    FROM event_queue q
    WHERE q.id = ${id} AND q.organization_id = ${organizationId}
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = q.id)
    LIMIT 1`.execute(db);
  return rows[0] && toView(rows[0]);
}

/**
 * The organization's events, newest first (received_at, id), filtered. Still-queued events are
 * included: the queue is a staging table that normally holds well under a second of events, so it
 * is scanned rather than indexed by organization, which would tax every ingest INSERT.
 */
export async function listEvents(
  db: Kysely<Database>,
  organizationId: string,
  filter: EventListFilter,
): Promise<EventView[]> {
  const conditions = (alias: string): (RawBuilder<boolean> | undefined)[] => [
    sql<boolean>`${sql.ref(`${alias}.organization_id`)} = ${organizationId}`,
    filter.type === undefined ? undefined : eventTypeCondition(`${alias}.type`, filter.type),
    filter.from && sql<boolean>`${sql.ref(`${alias}.received_at`)} >= ${filter.from}`,
    filter.to && sql<boolean>`${sql.ref(`${alias}.received_at`)} < ${filter.to}`,
    filter.after &&
      sql<boolean>`(${sql.ref(`${alias}.received_at`)}, ${sql.ref(`${alias}.id`)}) < (${filter.after.at}::text::timestamptz, ${filter.after.id}::uuid)`,
  ];
  const stored = sql`
    SELECT * FROM (
      SELECT e.id, e.type, e.payload, e.dedup_id, e.occurred_at, e.received_at, e.persisted_at,
             e.acknowledged_at, s.status, ${exactTimestamp('e.received_at')} AS position_at
      FROM events e CROSS JOIN LATERAL (SELECT ${storedStatus} AS status) s
      WHERE ${allOf([
        ...conditions('e'),
        filter.status === undefined ? undefined : sql<boolean>`s.status = ${filter.status}`,
      ])}
      ORDER BY e.received_at DESC, e.id DESC
      LIMIT ${filter.limit}
    ) stored`;
  const queued = sql`
    SELECT * FROM (
      SELECT q.id, q.type, q.payload, q.dedup_id, q.occurred_at, q.received_at,
             NULL::timestamptz AS persisted_at, NULL::timestamptz AS acknowledged_at, 'queued' AS status,
             ${exactTimestamp('q.received_at')} AS position_at
      FROM event_queue q
      WHERE ${allOf(conditions('q'))} AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = q.id)
      ORDER BY q.received_at DESC, q.id DESC
      LIMIT ${filter.limit}
    ) queued`;
  const sources =
    filter.status === undefined ? [stored, queued] : filter.status === 'queued' ? [queued] : [stored];
  const { rows } = await sql<EventRow>`
    ${sql.join(sources, sql` UNION ALL `)}
    ORDER BY received_at DESC, id DESC
    LIMIT ${filter.limit}`.execute(db);
  return rows.map(toView);
}
