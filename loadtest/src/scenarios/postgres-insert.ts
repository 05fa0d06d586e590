import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { createBenchDatabase } from '../harness/bench-database.js';
import { benchSql, queueRows } from '../harness/bench-fixtures.js';
import type { Scenario } from './scenario.js';

/** Rows per INSERT and clients inserting at once: what a group commit of the ingest API looks like. */
const ROWS_PER_INSERT = 100;
const CLIENTS = 8;

/**
 * Ceiling: how many rows per second Postgres takes into event_queue through plain multi-row
 * INSERT … VALUES statements of 100 rows from 8 connections, each statement its own durable commit,
 * with nothing else in the way (no HTTP, no validation). The batch ingest rate reads against it.
 */
export const postgresInsertScenario: Scenario = {
  name: 'postgres-insert',
  title: 'Ceiling: raw Postgres multi-row INSERT into event_queue',
  section: 'Ceilings of this machine (same run)',
  estimateSeconds: (options) => options.durationSeconds + 3,
  run: async ({ options, log }) => {
    const database = await createBenchDatabase(options.databaseUrl, options.keepDatabase);
    const sql = benchSql(database.url, CLIENTS);
    try {
      // Same row shape as the ingest API writes; ids are replaced per statement.
      const template = queueRows(randomUUID(), ROWS_PER_INSERT, 'pg').map((row) => ({
        organization_id: row.organizationId,
        type: row.type,
        payload: sql.json(row.payload as postgres.JSONValue),
        occurred_at: row.occurredAt,
        received_at: row.receivedAt,
      }));
      let sequence = 0;
      const statement = () =>
        template.map((row) => ({ ...row, id: randomUUID(), dedup_id: `pg-${(sequence += 1)}` }));
      const insert = (rows: ReturnType<typeof statement>) =>
        sql`INSERT INTO event_queue ${sql(rows, 'id', 'organization_id', 'type', 'payload', 'dedup_id', 'occurred_at', 'received_at')}`;
      // Warm-up: connections opened, statement prepared.
      await Promise.all(Array.from({ length: CLIENTS }, () => insert(statement())));
      log(`${CLIENTS} clients × ${ROWS_PER_INSERT}-row INSERTs for ${options.durationSeconds} s`);
      let rows = 0;
      const began = performance.now();
      const deadline = began + options.durationSeconds * 1000;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (performance.now() < deadline) {
            await insert(statement());
            rows += ROWS_PER_INSERT;
          }
        }),
      );
      const rate = rows / ((performance.now() - began) / 1000);
      log(`→ ${Math.round(rate)} rows/s`);
      return {
        measurements: [
          {
            id: 'postgres-insert.rate',
            subject: 'raw Postgres INSERT',
            figure: `rows/s, ${ROWS_PER_INSERT}-row statements, ${CLIENTS} clients`,
            unit: 'rows/s',
            value: rate,
            better: 'higher',
          },
        ],
        checks: [],
        details: { rows, rowsPerInsert: ROWS_PER_INSERT, clients: CLIENTS },
      };
    } finally {
      await sql.end();
      await database.drop();
    }
  },
};
