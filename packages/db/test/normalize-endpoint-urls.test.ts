// Risk: endpoints created before URLs were normalized keep showing a URL other than the one their deliveries go to.
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@triggers/testing';
import { insertOrganization } from '../src/index.js';
import { up } from '../src/migrations/2026_12_07_1920_normalize_endpoint_urls.js';

describe('the migration normalizing endpoint URLs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('rewrites stored URLs in their WHATWG-normalized form and leaves the rest alone', async () => {
    const org = await insertOrganization(db.db, { name: 'org', rateLimitPerSecond: null });
    const urls = [' HTTPS://Hooks.Example.COM:443/a/../b\r\n', 'https://hooks.example.com/ok', 'not a url'];
    for (const url of urls) {
      await db.sql`INSERT INTO endpoints (organization_id, url, secret) VALUES (${org.id}, ${url}, 'whsec_dGVzdA==')`;
    }
    await up(db.db as never);
    const { rows } = await sql<{ url: string }>`SELECT url FROM endpoints ORDER BY created_at, id`.execute(
      db.db,
    );
    expect(rows.map((r) => r.url).sort()).toEqual(
      ['https://hooks.example.com/b', 'https://hooks.example.com/ok', 'not a url'].sort(),
    );
  });
});
