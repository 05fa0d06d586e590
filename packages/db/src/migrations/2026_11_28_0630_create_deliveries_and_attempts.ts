import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE deliveries (
      id uuid PRIMARY KEY,
      organization_id uuid NOT NULL,
      event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, endpoint_id)
    )`.execute(db);
  // The DLQ size gauge counts dead deliveries on every scrape; the reconciler looks for unfinished
  // ones. Partial indexes keep both cheap however many delivered rows pile up.
  await sql`CREATE INDEX deliveries_dead_idx ON deliveries (created_at) WHERE status = 'dead'`.execute(db);
  await sql`CREATE INDEX deliveries_unfinished_idx ON deliveries (updated_at) WHERE status IN ('pending', 'failed')`.execute(
    db,
  );
  await sql`CREATE INDEX deliveries_endpoint_idx ON deliveries (endpoint_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX deliveries_organization_status_idx ON deliveries (organization_id, status, created_at DESC)`.execute(
    db,
  );
  await sql`
    CREATE TABLE delivery_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      organization_id uuid NOT NULL,
      attempt integer NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      error_kind text,
      error text,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, attempt)`.execute(
    db,
  );
  await sql`CREATE INDEX delivery_attempts_created_at_idx ON delivery_attempts (created_at)`.execute(db);
  // Deliveries committed but not yet confirmed in BullMQ, one row per processed batch, written in the
  // batch's transaction and deleted once addBulk succeeded. The sweeper re-enqueues what stays here.
  // One row per batch instead of an UPDATE per delivery keeps the hand-off off the hot path.
  await sql`
    CREATE TABLE delivery_handoffs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_ids uuid[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE delivery_handoffs`.execute(db);
  await sql`DROP TABLE delivery_attempts`.execute(db);
  await sql`DROP TABLE deliveries`.execute(db);
}
