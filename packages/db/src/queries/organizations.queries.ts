import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { NewOrganization, Organization } from '../tables/organizations.table.js';

export function insertOrganization(db: Kysely<Database>, org: NewOrganization): Promise<Organization> {
  return db.insertInto('organizations').values(org).returningAll().executeTakeFirstOrThrow();
}

export function findOrganization(db: Kysely<Database>, id: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}
