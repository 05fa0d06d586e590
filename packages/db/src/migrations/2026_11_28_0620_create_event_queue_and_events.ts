import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign key on the hot staging table: the ingest API has already authenticated the
  // organization, and a FK check per row would cost on every insert.
  await sql`
    CREATE TABLE event_queue (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      organization_id uuid NOT NULL,
      type text NOT NULL,
      payload jsonb NOT NULL,
      dedup_id text,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE events (
      id uuid PRIMARY KEY,
      organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
      type text NOT NULL,
      payload jsonb NOT NULL,
      dedup_id text,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      persisted_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_at timestamptz,
      UNIQUE (organization_id, dedup_id)
    )`.execute(db);
  // Inbox reads: unacknowledged events of one organization, oldest first.
  await sql`
    CREATE INDEX events_inbox_idx ON events (organization_id, received_at, id)
    WHERE acknowledged_at IS NULL`.execute(db);
  // Listing and search by time, and the retention pruner.
  await sql`CREATE INDEX events_organization_received_idx ON events (organization_id, received_at DESC, id DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX events_received_at_idx ON events (received_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE events`.execute(db);
  await sql`DROP TABLE event_queue`.execute(db);
}
