// Risk: a key revoked on another instance keeps working longer than API_KEY_CACHE_TTL_MS says;
// in particular 0, "not cached", must not mean "cached forever". And when an entry expires under
// load, every request in flight queries Postgres for the same key (a stampede on a busy database).
// And anyone can send unknown keys: a flood of them must not push live keys out of the cache.
import { insertApiKey, insertOrganization, revokeApiKey } from '@triggers/db';
import { createTestDatabase, type TestDatabase } from '@triggers/testing';
import { countingQueries } from './fixtures.js';
import { ApiKeyAuthenticator } from '../src/auth/api-key-authenticator.js';
import { generateApiKey } from '../src/auth/api-keys.js';

describe('API-key lookups and their cache', () => {
  let db: TestDatabase;
  let organizationId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
  });
  afterAll(() => db.drop());

  async function newKey(): Promise<{ key: string; id: string }> {
    const generated = generateApiKey();
    const row = await insertApiKey(db.db, {
      organizationId,
      name: 'test',
      prefix: generated.prefix,
      keyHash: generated.hash,
      revokedAt: null,
    });
    return { key: generated.key, id: row.id };
  }

  it('with a TTL of 0, refuses a key at once after another instance revoked it', async () => {
    const authenticator = new ApiKeyAuthenticator(db.db, { cacheTtlMs: 0, cacheMaxEntries: 100 });
    const { key, id } = await newKey();
    expect(await authenticator.authenticate(key)).toMatchObject({ organizationId });
    await revokeApiKey(db.db, id); // in Postgres only, as another instance would
    expect(await authenticator.authenticate(key)).toBeUndefined();
  });

  it('with a TTL, keeps answering from the cache until the entry expires', async () => {
    const authenticator = new ApiKeyAuthenticator(db.db, { cacheTtlMs: 300, cacheMaxEntries: 100 });
    const { key, id } = await newKey();
    expect(await authenticator.authenticate(key)).toMatchObject({ organizationId });
    await revokeApiKey(db.db, id);
    expect(await authenticator.authenticate(key)).toMatchObject({ organizationId });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await authenticator.authenticate(key)).toBeUndefined();
  });

  it('looks a key up once for all the requests that miss the cache together', async () => {
    const counted = countingQueries(db.db);
    const authenticator = new ApiKeyAuthenticator(counted.db, { cacheTtlMs: 300, cacheMaxEntries: 100 });
    const { key } = await newKey();
    const together = () => Promise.all(Array.from({ length: 20 }, () => authenticator.authenticate(key)));

    expect((await together()).map((p) => p?.organizationId)).toEqual(Array(20).fill(organizationId));
    expect(counted.queries()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400)); // expired
    expect((await together()).map((p) => p?.organizationId)).toEqual(Array(20).fill(organizationId));
    expect(counted.queries()).toBe(2);
  });

  it('keeps a live key cached through a flood of unknown keys, which cost one lookup each', async () => {
    const counted = countingQueries(db.db);
    const authenticator = new ApiKeyAuthenticator(counted.db, { cacheTtlMs: 60_000, cacheMaxEntries: 100 });
    const { key } = await newKey();
    expect(await authenticator.authenticate(key)).toMatchObject({ organizationId });
    expect(counted.queries()).toBe(1);

    // Twenty times what the cache holds, each well-formed (so hashed and looked up) and unknown.
    const unknown = Array.from({ length: 2_000 }, () => generateApiKey().key);
    for (const batch of [0, 1, 2, 3]) {
      const slice = unknown.slice(batch * 500, (batch + 1) * 500);
      expect(await Promise.all(slice.map((k) => authenticator.authenticate(k)))).toEqual(
        Array(500).fill(undefined),
      );
    }
    expect(counted.queries()).toBe(1 + 2_000);

    expect(authenticator.fromCache(key)).toMatchObject({ organizationId });
    expect(await authenticator.authenticate(key)).toMatchObject({ organizationId });
    expect(counted.queries()).toBe(1 + 2_000); // no lookup for the live key
    expect(authenticator.cacheSizes()).toEqual({ live: 1, refused: 100 });
    // An unknown key retried at once is still answered from its own cache.
    await authenticator.authenticate(unknown.at(-1)!);
    expect(counted.queries()).toBe(1 + 2_000);
  });
});
