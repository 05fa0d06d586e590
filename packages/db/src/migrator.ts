import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

// Migrations see the database untyped (they must not depend on today's schema types), whatever
// typed instance the caller holds.
function createMigrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Reverts the last applied migration. */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  const result = await createMigrator(db).migrateDown();
  if (result.error) throw result.error;
  return result;
}

/** Reverts every applied migration (tests and local resets only). */
export async function migrateToEmpty<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = createMigrator(db);
  for (;;) {
    const result = await migrator.migrateDown();
    if (result.error) throw result.error;
    if (!result.results?.length) return;
  }
}
