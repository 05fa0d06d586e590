import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { ApiKey, NewApiKey } from '../tables/api-keys.table.js';
import type { Organization } from '../tables/organizations.table.js';

/** A key, by its hash, with what the API needs to know of its organization. */
export interface ApiKeyOwner
  extends
    Pick<ApiKey, 'keyHash' | 'organizationId' | 'revokedAt'>,
    Pick<Organization, 'rateLimitPerSecond' | 'strictEventTypes'> {
  apiKeyId: ApiKey['id'];
}

export function insertApiKey(db: Kysely<Database>, key: NewApiKey): Promise<ApiKey> {
  return db.insertInto('apiKeys').values(key).returningAll().executeTakeFirstOrThrow();
}

/** The key with that hash and what the API needs to know of its organization, revoked or not. */
export function findApiKeyOwnerByHash(
  db: Kysely<Database>,
  keyHash: string,
): Promise<ApiKeyOwner | undefined> {
  return db
    .selectFrom('apiKeys')
    .innerJoin('organizations', 'organizations.id', 'apiKeys.organizationId')
    .select([
      'apiKeys.id as apiKeyId',
      'apiKeys.keyHash',
      'apiKeys.organizationId',
      'apiKeys.revokedAt',
      'organizations.rateLimitPerSecond',
      'organizations.strictEventTypes',
    ])
    .where('apiKeys.keyHash', '=', keyHash)
    .executeTakeFirst();
}

/** Marks a key revoked; returns its hash (to drop it from caches), or undefined if there is no such live key. */
export async function revokeApiKey(
  db: Kysely<Database>,
  id: string,
): Promise<{ keyHash: string } | undefined> {
  return db
    .updateTable('apiKeys')
    .set({ revokedAt: new Date() })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .returning('keyHash')
    .executeTakeFirst();
}

export function listApiKeys(
  db: Kysely<Database>,
  organizationId: string,
): Promise<Omit<ApiKey, 'keyHash'>[]> {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'organizationId', 'name', 'prefix', 'createdAt', 'revokedAt'])
    .where('organizationId', '=', organizationId)
    .orderBy('createdAt')
    .execute();
}
