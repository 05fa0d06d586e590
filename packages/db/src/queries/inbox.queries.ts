import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { StoredEvent } from '../tables/events.table.js';
import { allOf, eventTypeCondition, exactTimestamp } from './listing.js';

/**
 * A position in the inbox: the storing transaction's id (xid8 as text), then received_at (exact
 * text) and id, which order the events that one transaction stored.
 */
export interface InboxPosition {
  xid: string;
  at: string;
  id: string;
}

export interface InboxEvent extends Pick<
  StoredEvent,
  'id' | 'type' | 'payload' | 'dedupId' | 'occurredAt' | 'receivedAt'
> {
  position: InboxPosition;
}

export interface InboxFilter {
  /** Exact type, `prefix.*` or `*`. */
  type?: string;
  after?: InboxPosition;
  limit: number;
}

/**
 * Unacknowledged events, oldest first in the order they were stored. Only events stored by
 * transactions older than every transaction still running are returned: any transaction still
 * running has a higher id, and every later one gets a higher id still, so nothing can appear
 * behind a position once a reader has passed it. A reader keeping its cursor therefore sees every
 * event exactly once, however inserts interleave. The price: a long-running writing transaction
 * anywhere on the server holds the inbox back until it ends.
 */
export async function listInbox(
  db: Kysely<Database>,
  organizationId: string,
  filter: InboxFilter,
): Promise<InboxEvent[]> {
  const { rows } = await sql<Omit<InboxEvent, 'position'> & { positionXid: string; positionAt: string }>`
    SELECT e.id, e.type, e.payload, e.dedup_id, e.occurred_at, e.received_at,
           e.stored_xid::text AS position_xid, ${exactTimestamp('e.received_at')} AS position_at
    FROM events e
    WHERE ${allOf([
      sql<boolean>`e.organization_id = ${organizationId}`,
      sql<boolean>`e.acknowledged_at IS NULL`,
      sql<boolean>`e.stored_xid < pg_snapshot_xmin(pg_current_snapshot())`,
      filter.type === undefined ? undefined : eventTypeCondition('e.type', filter.type),
      filter.after &&
        sql<boolean>`(e.stored_xid, e.received_at, e.id) > (${filter.after.xid}::text::xid8, ${filter.after.at}::text::timestamptz, ${filter.after.id}::uuid)`,
    ])}
    ORDER BY e.stored_xid, e.received_at, e.id
    LIMIT ${filter.limit}`.execute(db);
  return rows.map(({ positionXid, positionAt, ...event }) => ({
    ...event,
    position: { xid: positionXid, at: positionAt, id: event.id },
  }));
}

export type AckOutcome = 'acknowledged' | 'unchanged' | 'queued' | 'not_found';

/**
 * Acknowledges the organization's events among `ids`, in one statement. Each id's outcome:
 * acknowledged now, already acknowledged (unchanged), still queued (not yet stored, so not yet
 * acknowledgeable), or not found (unknown, or another organization's: the two are not told apart).
 */
export async function acknowledgeEvents(
  db: Kysely<Database>,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, AckOutcome>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; outcome: AckOutcome }>`
    WITH updated AS (
      UPDATE events SET acknowledged_at = now()
      WHERE organization_id = ${organizationId} AND id = ANY(${ids}::uuid[]) AND acknowledged_at IS NULL
      RETURNING id
    )
    SELECT i.id, CASE
      WHEN u.id IS NOT NULL THEN 'acknowledged'
      WHEN EXISTS (SELECT 1 FROM events e WHERE e.id = i.id AND e.organization_id = ${organizationId})
        THEN 'unchanged'
      WHEN EXISTS (SELECT 1 FROM event_queue q WHERE q.id = i.id AND q.organization_id = ${organizationId})
        THEN 'queued'
      ELSE 'not_found'
    END AS outcome
    FROM unnest(${ids}::uuid[]) AS i (id) LEFT JOIN updated u ON u.id = i.id`.execute(db);
  return new Map(rows.map((r) => [r.id, r.outcome]));
}
