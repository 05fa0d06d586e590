import { sql, type Kysely } from 'kysely';

// How many times a delivery was replayed: the number of its current run, which its delivery jobs
// carry, so that a job of an earlier run never sends the delivery again (see deliveryJobId in
// @triggers/delivery-queue). A constant default: no table rewrite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE deliveries ADD COLUMN replays integer NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE deliveries DROP COLUMN replays`.execute(db);
}
