import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { EventType, EventTypeUpdate, NewEventType } from '../tables/event-types.table.js';

/** Registers a type; undefined when the organization already has one of that name. */
export function insertEventType(db: Kysely<Database>, type: NewEventType): Promise<EventType | undefined> {
  return db
    .insertInto('eventTypes')
    .values(type)
    .onConflict((oc) => oc.columns(['organizationId', 'name']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findEventType(
  db: Kysely<Database>,
  organizationId: string,
  name: string,
): Promise<EventType | undefined> {
  return db
    .selectFrom('eventTypes')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** The organization's types by name, after `afterName` when given. */
export function listEventTypes(
  db: Kysely<Database>,
  organizationId: string,
  page: { afterName?: string; limit: number },
): Promise<EventType[]> {
  let query = db.selectFrom('eventTypes').selectAll().where('organizationId', '=', organizationId);
  if (page.afterName !== undefined) query = query.where('name', '>', page.afterName);
  return query.orderBy('name').limit(page.limit).execute();
}

export function updateEventType(
  db: Kysely<Database>,
  organizationId: string,
  name: string,
  changes: EventTypeUpdate,
): Promise<EventType | undefined> {
  return db
    .updateTable('eventTypes')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('organizationId', '=', organizationId)
    .where('name', '=', name)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEventType(
  db: Kysely<Database>,
  organizationId: string,
  name: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('eventTypes')
    .where('organizationId', '=', organizationId)
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The registered types among `names`, with what validating their payloads needs. */
export function findEventTypeSchemas(
  db: Kysely<Database>,
  organizationId: string,
  names: readonly string[],
): Promise<Pick<EventType, 'id' | 'name' | 'schema' | 'updatedAt'>[]> {
  return db
    .selectFrom('eventTypes')
    .select(['id', 'name', 'schema', 'updatedAt'])
    .where('organizationId', '=', organizationId)
    .where('name', 'in', names)
    .execute();
}
