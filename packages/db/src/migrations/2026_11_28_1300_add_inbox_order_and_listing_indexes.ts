import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The inbox is read oldest first with a keyset cursor. received_at alone cannot order it stably:
  // it is stamped before the commit, so an event can become visible after a reader has passed its
  // received_at, and would be skipped. The id of the transaction that stored the row can: rows are
  // only read once every transaction that could still add a lower id has ended (see inbox.queries).
  await sql`ALTER TABLE events ADD COLUMN stored_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`.execute(db);
  await sql`DROP INDEX events_inbox_idx`.execute(db);
  await sql`
    CREATE INDEX events_inbox_idx ON events (organization_id, stored_xid, received_at, id)
    WHERE acknowledged_at IS NULL`.execute(db);
  // GET /api/deliveries: an organization's deliveries, newest first, with a keyset cursor.
  await sql`
    CREATE INDEX deliveries_organization_created_idx ON deliveries (organization_id, created_at DESC, id DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX deliveries_organization_created_idx`.execute(db);
  await sql`DROP INDEX events_inbox_idx`.execute(db);
  await sql`ALTER TABLE events DROP COLUMN stored_xid`.execute(db);
  await sql`
    CREATE INDEX events_inbox_idx ON events (organization_id, received_at, id)
    WHERE acknowledged_at IS NULL`.execute(db);
}
