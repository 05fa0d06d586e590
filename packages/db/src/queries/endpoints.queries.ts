import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { DeliveryStatus } from '../tables/deliveries.table.js';
import type { DeliveryAttempt } from '../tables/delivery-attempts.table.js';
import type { DeliveryHandoff } from '../tables/delivery-handoffs.table.js';
import type { Endpoint, EndpointUpdate, NewEndpoint } from '../tables/endpoints.table.js';
import type { NewStoredEvent } from '../tables/events.table.js';
import { exactTimestamp, type KeysetPosition } from './listing.js';

/**
 * Inserts an endpoint unless its organization already has `maxPerOrganization`; undefined then.
 * Concurrent creations for one organization queue on its row (FOR NO KEY UPDATE, which does not
 * wait for or block the foreign-key checks of other writes), and the count is a statement of its
 * own after the lock, so under READ COMMITTED it sees every endpoint committed before: two
 * creations cannot both pass the cap. A lock on the organization rather than a count in the INSERT,
 * whose snapshot would predate the wait.
 */
export function insertEndpointWithinLimit(
  db: Kysely<Database>,
  endpoint: NewEndpoint,
  maxPerOrganization: number,
): Promise<Endpoint | undefined> {
  return db.transaction().execute(async (trx) => {
    const organization = await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', endpoint.organizationId)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (!organization) return undefined;
    const { count } = await trx
      .selectFrom('endpoints')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('organizationId', '=', endpoint.organizationId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= maxPerOrganization) return undefined;
    return trx.insertInto('endpoints').values(endpoint).returningAll().executeTakeFirstOrThrow();
  });
}

/** The caller's endpoint; undefined when it is not the organization's. */
export function findEndpoint(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<Endpoint | undefined> {
  return db
    .selectFrom('endpoints')
    .selectAll()
    .where('id', '=', id)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
}

/** The organization's endpoints, oldest first (created_at, id). */
export async function listEndpoints(
  db: Kysely<Database>,
  organizationId: string,
  page: { after?: KeysetPosition; limit: number },
): Promise<(Endpoint & { position: KeysetPosition })[]> {
  let query = db
    .selectFrom('endpoints')
    .selectAll()
    .select(exactTimestamp('created_at').as('positionAt'))
    .where('organizationId', '=', organizationId);
  const after = page.after;
  if (after) {
    query = query.where(sql<boolean>`(created_at, id) > (${after.at}::text::timestamptz, ${after.id}::uuid)`);
  }
  const rows = await query.orderBy('createdAt').orderBy('id').limit(page.limit).execute();
  return rows.map(({ positionAt, ...e }) => ({ ...e, position: { at: positionAt, id: e.id } }));
}

/** Applies `changes` to the caller's endpoint; undefined when it is not the organization's. */
export function updateEndpoint(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  changes: EndpointUpdate,
): Promise<Endpoint | undefined> {
  return db
    .updateTable('endpoints')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('organizationId', '=', organizationId)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the caller's endpoint with its deliveries (by cascade); false when it is not the organization's. */
export async function deleteEndpoint(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('endpoints')
    .where('id', '=', id)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Replaces the signing secret; the current one becomes the previous secret, which keeps signing
 * (alongside the new one) until `previousExpiresAt`. One statement, so two concurrent rotations
 * cannot both keep the same previous secret.
 */
export function rotateEndpointSecret(
  db: Kysely<Database>,
  organizationId: string,
  id: string,
  secret: string,
  previousExpiresAt: Date,
): Promise<Endpoint | undefined> {
  return db
    .updateTable('endpoints')
    .set((eb) => ({
      previousSecret: eb.ref('secret'),
      previousSecretExpiresAt: previousExpiresAt,
      secret,
      updatedAt: sql<Date>`now()`,
    }))
    .where('id', '=', id)
    .where('organizationId', '=', organizationId)
    .returningAll()
    .executeTakeFirst();
}

export interface EndpointDeliveryStats {
  /** Deliveries to the endpoint by current status (every status present, 0 when none). */
  byStatus: Record<DeliveryStatus, number>;
  lastSuccessAt: Date | null;
  /** The last failed attempt; `error` is its error, or its kind when it has none. */
  lastFailure: LastFailure | null;
}

type LastFailure = Pick<DeliveryAttempt, 'statusCode' | 'error'> & { at: DeliveryAttempt['createdAt'] };

/** Delivery outcomes of one endpoint (the caller checks the endpoint is the organization's). */
export async function endpointDeliveryStats(
  db: Kysely<Database>,
  endpointId: string,
): Promise<EndpointDeliveryStats> {
  const counts = await sql<Record<DeliveryStatus, number> & { lastSuccessAt: Date | null }>`
    SELECT
      count(*) FILTER (WHERE status = 'pending')::int AS pending,
      count(*) FILTER (WHERE status = 'failed')::int AS failed,
      count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
      count(*) FILTER (WHERE status = 'dead')::int AS dead,
      max(delivered_at) AS last_success_at
    FROM deliveries WHERE endpoint_id = ${endpointId}`.execute(db);
  const failure = await sql<LastFailure>`
    SELECT a.created_at AS at, a.status_code, coalesce(a.error, a.error_kind) AS error
    FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
    WHERE d.endpoint_id = ${endpointId}
      AND (a.error_kind IS NOT NULL OR a.status_code IS NULL OR a.status_code NOT BETWEEN 200 AND 299)
    ORDER BY a.id DESC LIMIT 1`.execute(db);
  const { lastSuccessAt = null, ...byStatus } = counts.rows[0] ?? {
    pending: 0,
    failed: 0,
    delivered: 0,
    dead: 0,
  };
  return { byStatus, lastSuccessAt, lastFailure: failure.rows[0] ?? null };
}

/** Ids of the event, delivery and hand-off `insertEndpointTestEvent` created. */
export interface EndpointTestEvent {
  eventId: string;
  deliveryId: string;
  handoffId: DeliveryHandoff['id'];
}

/**
 * Stores an event with one delivery to one endpoint, as the processor would, plus the hand-off
 * row that lets the sweeper queue the delivery should the caller fail to. The event bypasses the
 * other endpoints' filters (it is meant for this endpoint alone) and is stored acknowledged, so it
 * never shows up in the inbox.
 */
export async function insertEndpointTestEvent(
  db: Kysely<Database>,
  event: Pick<NewStoredEvent, 'id' | 'organizationId' | 'type' | 'payload'> & { endpointId: string },
): Promise<EndpointTestEvent> {
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    await trx
      .insertInto('events')
      .values({
        id: event.id,
        organizationId: event.organizationId,
        type: event.type,
        payload: event.payload,
        dedupId: null,
        occurredAt: now,
        receivedAt: now,
        acknowledgedAt: now,
      })
      .execute();
    const delivery = await trx
      .insertInto('deliveries')
      .values({
        id: sql<string>`gen_random_uuid()`,
        organizationId: event.organizationId,
        eventId: event.id,
        endpointId: event.endpointId,
        nextAttemptAt: null,
        lastStatusCode: null,
        lastError: null,
        deliveredAt: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const handoff = await trx
      .insertInto('deliveryHandoffs')
      .values({ deliveryIds: [delivery.id] })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { eventId: event.id, deliveryId: delivery.id, handoffId: handoff.id };
  });
}

/** Confirms that the hand-off's jobs are queued. */
export async function deleteHandoff(db: Kysely<Database>, handoffId: number): Promise<void> {
  await db.deleteFrom('deliveryHandoffs').where('id', '=', handoffId).execute();
}
