import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, migrateToLatest, type DatabaseClient } from '@triggers/db';

/** A server-level URL (to the `postgres` database); tests create their own databases on that server. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase extends DatabaseClient {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop: () => Promise<void>;
}

/**
 * A fresh, migrated database of its own, so that test files never see each other's rows. `serverUrl`
 * points at another server (e.g. a PostgresServer a test kills).
 */
export async function createTestDatabase(
  options: { serverUrl?: string; migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? testServerUrl();
  const name = `triggers_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const client = createDatabase({
    url,
    maxConnections: options.poolSize ?? 5,
    applicationName: 'triggers-test',
  });
  if (options.migrate !== false) await migrateToLatest(client.db);
  return {
    ...client,
    url,
    name,
    drop: async () => {
      await client.close();
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch {
        // The server may be gone (a test that killed it); nothing left to clean then.
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
  };
}
