import { CamelCasePlugin, Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import type { Database } from './database.js';

export type { Sql, TransactionSql };

export interface DatabaseOptions {
  url: string;
  /** Pool size. */
  maxConnections: number;
  /** Shown in pg_stat_activity, to tell the services apart. */
  applicationName: string;
}

/** Both faces of one connection pool: kysely for typed queries, postgres.js for hot paths and LISTEN. */
export interface DatabaseClient {
  db: Kysely<Database>;
  sql: Sql;
  close: () => Promise<void>;
}

/** Whether Postgres answers (one round trip on the pool): the readiness check of every service. */
export async function pingDatabase(sql: Sql): Promise<void> {
  await sql`SELECT 1`;
}

/** Opens a pool; connections are made lazily, so this never throws for an unreachable server. */
export function createDatabase(options: DatabaseOptions): DatabaseClient {
  const sql = postgres(options.url, {
    max: options.maxConnections,
    connection: { application_name: options.applicationName },
    onnotice: () => {},
    // int8 (counts, identity columns) as numbers: every value we keep fits in 2^53.
    types: {
      bigint: { to: 20, from: [20], parse: (v: string) => Number(v), serialize: (v: number) => String(v) },
    },
    // Fail requests fast while Postgres is unreachable instead of queueing them for 30 s.
    connect_timeout: 5,
    // Seconds before reconnecting after a connection failed. The default grows to 20 s, so a
    // service would stay unready for that long after a database restart; capped at 1 s, jittered.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
  });
  const db = new Kysely<Database>({
    dialect: new PostgresJSDialect({ postgres: sql }),
    // Only column names are converted: jsonb values (payloads, headers, schemas) keep their keys.
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
  return {
    db,
    sql,
    close: async () => {
      // Bounded: a pool whose server died must not hold a shutdown (or a test) forever.
      await sql.end({ timeout: 5 });
      await db.destroy();
    },
  };
}
