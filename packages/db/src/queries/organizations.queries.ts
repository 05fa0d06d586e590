import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { NewOrganization, Organization, OrganizationUpdate } from '../tables/organizations.table.js';

export function insertOrganization(db: Kysely<Database>, org: NewOrganization): Promise<Organization> {
  return db.insertInto('organizations').values(org).returningAll().executeTakeFirstOrThrow();
}

export function findOrganization(db: Kysely<Database>, id: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Applies `changes`; undefined when there is no such organization. */
export function updateOrganization(
  db: Kysely<Database>,
  id: string,
  changes: OrganizationUpdate,
): Promise<Organization | undefined> {
  return db.updateTable('organizations').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}
