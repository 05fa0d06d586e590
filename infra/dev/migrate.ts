import { createDatabase, migrateToLatest } from '@triggers/db';

/** Brings the schema up to date (kysely migrations are idempotent: applied ones are skipped). */
export async function migrate(url: string): Promise<void> {
  const { db, close } = createDatabase({ url, maxConnections: 1, applicationName: 'triggers-make-up' });
  try {
    const result = await migrateToLatest(db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    console.log(applied.length ? `migrations: applied ${applied.join(', ')}` : 'migrations: up to date');
  } finally {
    await close();
  }
}
