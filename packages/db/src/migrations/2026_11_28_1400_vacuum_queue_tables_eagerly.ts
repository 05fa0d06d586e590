import { sql, type Kysely } from 'kysely';

// event_queue and delivery_handoffs hold rows for milliseconds: every row is inserted, then
// deleted. With the default thresholds (20 % of the table) autovacuum waits for a large share of
// dead rows, and in the meantime every claim and insert wades through them. Vacuum them after a
// fixed number of dead rows, without throttling. deliveries gets one dead version per delivery
// (pending → delivered), so it is vacuumed sooner than the default too.
const QUEUE_TABLES = ['event_queue', 'delivery_handoffs'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of QUEUE_TABLES) {
    await sql`
      ALTER TABLE ${sql.table(table)} SET (
        autovacuum_vacuum_scale_factor = 0,
        autovacuum_vacuum_threshold = 1000,
        autovacuum_vacuum_insert_scale_factor = 0,
        autovacuum_vacuum_insert_threshold = 1000,
        autovacuum_vacuum_cost_delay = 0
      )`.execute(db);
  }
  await sql`
    ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of QUEUE_TABLES) {
    await sql`
      ALTER TABLE ${sql.table(table)} RESET (
        autovacuum_vacuum_scale_factor,
        autovacuum_vacuum_threshold,
        autovacuum_vacuum_insert_scale_factor,
        autovacuum_vacuum_insert_threshold,
        autovacuum_vacuum_cost_delay
      )`.execute(db);
  }
  await sql`ALTER TABLE deliveries RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_cost_delay)`.execute(
    db,
  );
}
