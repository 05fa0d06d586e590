// The `migrate` command: `pnpm migrate` (latest) or `pnpm migrate down` (revert one). Reads DATABASE_URL.
import { createDatabase } from './connection.js';
import { migrateDown, migrateToLatest } from './migrator.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required, e.g. postgres://postgres@127.0.0.1:5432/triggers');
  process.exit(2);
}
const direction = process.argv[2] ?? 'latest';
if (direction !== 'latest' && direction !== 'down') {
  console.error(`unknown direction "${direction}": use "latest" or "down"`);
  process.exit(2);
}

const { db, close } = createDatabase({ url, maxConnections: 1, applicationName: 'triggers-migrate' });
try {
  const result = direction === 'latest' ? await migrateToLatest(db) : await migrateDown(db);
  for (const r of result.results ?? []) console.log(`${r.direction} ${r.migrationName}: ${r.status}`);
  if (!result.results?.length) console.log('nothing to migrate');
} catch (err) {
  console.error('migration failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await close();
}
