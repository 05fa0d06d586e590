import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { Delivery, DeliveryStatus } from '../tables/deliveries.table.js';
import type { DeliveryAttempt } from '../tables/delivery-attempts.table.js';
import type { StoredEvent } from '../tables/events.table.js';
import { allOf, exactTimestamp, type KeysetPosition } from './listing.js';

/** A delivery as the API shows it, with its event's type. */
export interface DeliveryView extends Pick<
  Delivery,
  | 'id'
  | 'eventId'
  | 'endpointId'
  | 'status'
  | 'attempts'
  | 'nextAttemptAt'
  | 'lastStatusCode'
  | 'lastError'
  | 'deliveredAt'
  | 'createdAt'
  | 'updatedAt'
> {
  eventType: StoredEvent['type'];
  position: KeysetPosition;
}

export interface DeliveryListFilter {
  status?: DeliveryStatus;
  endpointId?: string;
  eventId?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  /** Continue after this position (newest first). */
  after?: KeysetPosition;
  limit: number;
}

interface DeliveryRow extends Omit<DeliveryView, 'position'> {
  positionAt: string;
}

const toView = ({ positionAt, ...row }: DeliveryRow): DeliveryView => ({
  ...row,
  position: { at: positionAt, id: row.id },
});

const deliveryColumns = sql`
  d.id, d.event_id, d.endpoint_id, e.type AS event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_status_code, d.last_error, d.delivered_at, d.created_at, d.updated_at,
  ${exactTimestamp('d.created_at')} AS position_at`;

/** The organization's deliveries, newest first (created_at, id), filtered. */
export async function listDeliveries(
  db: Kysely<Database>,
  organizationId: string,
  filter: DeliveryListFilter,
): Promise<DeliveryView[]> {
  const { rows } = await sql<DeliveryRow>`
    SELECT ${deliveryColumns}
    FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE ${allOf([
      sql<boolean>`d.organization_id = ${organizationId}`,
      filter.status && sql<boolean>`d.status = ${filter.status}`,
      filter.endpointId && sql<boolean>`d.endpoint_id = ${filter.endpointId}`,
      filter.eventId && sql<boolean>`d.event_id = ${filter.eventId}`,
      filter.from && sql<boolean>`d.created_at >= ${filter.from}`,
      filter.to && sql<boolean>`d.created_at < ${filter.to}`,
      filter.after &&
        sql<boolean>`(d.created_at, d.id) < (${filter.after.at}::text::timestamptz, ${filter.after.id}::uuid)`,
    ])}
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT ${filter.limit}`.execute(db);
  return rows.map(toView);
}

/** The caller's delivery; undefined when it is not the organization's. */
export async function findDelivery(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<DeliveryView | undefined> {
  const { rows } = await sql<DeliveryRow>`
    SELECT ${deliveryColumns}
    FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.id = ${id} AND d.organization_id = ${organizationId}`.execute(db);
  return rows[0] && toView(rows[0]);
}

/** Every delivery of an event (oldest first), for the event's detail. */
export async function listEventDeliveries(
  db: Kysely<Database>,
  organizationId: string,
  eventId: string,
): Promise<DeliveryView[]> {
  const { rows } = await sql<DeliveryRow>`
    SELECT ${deliveryColumns}
    FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.event_id = ${eventId} AND d.organization_id = ${organizationId}
    ORDER BY d.created_at, d.id`.execute(db);
  return rows.map(toView);
}

/** The attempts of these deliveries, by delivery, in the order they were made (replays included). */
export async function listAttempts(
  db: Kysely<Database>,
  organizationId: string,
  deliveryIds: readonly string[],
): Promise<Map<string, DeliveryAttempt[]>> {
  const byDelivery = new Map<string, DeliveryAttempt[]>(deliveryIds.map((id) => [id, []]));
  if (deliveryIds.length === 0) return byDelivery;
  const attempts = await db
    .selectFrom('deliveryAttempts')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('deliveryId', 'in', deliveryIds)
    .orderBy('id')
    .execute();
  for (const a of attempts) byDelivery.get(a.deliveryId)?.push(a);
  return byDelivery;
}
