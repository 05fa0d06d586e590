// Risk: a migration that cannot be reverted, or leaves something behind, blocks every rollback.
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@triggers/testing';
import { migrateToEmpty, migrateToLatest } from '../src/index.js';
import { migrations } from '../src/migrations/index.js';

const TABLES = [
  'organizations',
  'api_keys',
  'endpoints',
  'event_types',
  'event_queue',
  'events',
  'deliveries',
  'delivery_attempts',
  'delivery_handoffs',
];

async function tablesIn(db: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ tablename: string }>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY tablename`.execute(
    db.db,
  );
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  it('are named by date so that they sort in the order they run', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z_]+$/);
  });

  it('go up, all the way down, and up again', async () => {
    await migrateToLatest(db.db);
    expect(await tablesIn(db)).toEqual([...TABLES].sort());
    await migrateToEmpty(db.db);
    expect(await tablesIn(db)).toEqual([]);
    await migrateToLatest(db.db);
    expect(await tablesIn(db)).toEqual([...TABLES].sort());
  });
});
