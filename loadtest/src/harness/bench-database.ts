import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, migrateToLatest } from '@triggers/db';
import { addCleanup } from './cleanup.js';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (unless kept); safe to call twice. */
  drop: () => Promise<void>;
}

/**
 * Creates `bench_<random>` on the server of `serverUrl` and migrates it to the latest schema, so
 * that every measurement starts from empty tables and never touches anyone's data.
 */
export async function createBenchDatabase(serverUrl: string, keep: boolean): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = databaseUrl(serverUrl, name);
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped || keep) return;
    dropped = true;
    // FORCE ends connections a crashed service may have left open.
    await onServer(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  const forget = addCleanup(`drop database ${name}`, drop);
  const client = createDatabase({ url, maxConnections: 1, applicationName: 'triggers-bench' });
  try {
    await migrateToLatest(client.db);
  } catch (error) {
    await client.close();
    await drop();
    forget();
    throw error;
  }
  await client.close();
  return {
    name,
    url,
    drop: async () => {
      await drop();
      forget();
    },
  };
}

/** `serverUrl` with its database replaced by `name` (user, host, port and parameters kept). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(serverUrl: string, work: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await work(sql);
  } finally {
    await sql.end();
  }
}
