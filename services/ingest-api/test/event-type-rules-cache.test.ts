// Risk: when a cached event-type rule expires under load, every request in flight queries Postgres
// for it (a stampede on a busy database), or a change is missed because a lookup that started
// before it was cached after it. Or the cache grows with what clients send: hundreds of long type
// names, or large compiled schemas, held until the count of entries reaches a number meant for small ones.
import { insertEventType, insertOrganization } from '@triggers/db';
import { createLogger } from '@triggers/runtime';
import { createTestDatabase, type TestDatabase } from '@triggers/testing';
import { EventTypeValidators } from '../src/event-types/event-type-validators.js';
import { countingQueries } from './fixtures.js';

describe('event-type rules and their cache', () => {
  let db: TestDatabase;
  let organizationId: string;
  const log = createLogger({ service: 'test', level: 'silent' });
  beforeAll(async () => {
    db = await createTestDatabase();
    organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
    await insertEventType(db.db, {
      organizationId,
      name: 'order.created',
      description: null,
      schema: { type: 'object', required: ['id'] },
    });
  });
  afterAll(() => db.drop());

  it('reads a rule once for all the requests that miss it together', async () => {
    const counted = countingQueries(db.db);
    const validators = new EventTypeValidators(
      counted.db,
      { ttlMs: 60_000, maxEntries: 100, lookupTimeoutMs: 3000 },
      log,
    );
    const all = await Promise.all(
      Array.from({ length: 20 }, () => validators.rulesFor(organizationId, ['order.created', 'order.paid'])),
    );
    expect(counted.queries()).toBe(1); // one for both types
    for (const rules of all) {
      expect(rules.get('order.created')).toMatchObject({ registered: true });
      expect(rules.get('order.paid')).toEqual({ registered: false });
    }
  });

  it('reads every type a request misses in one query, however many it names', async () => {
    const counted = countingQueries(db.db);
    const validators = new EventTypeValidators(
      counted.db,
      { ttlMs: 60_000, maxEntries: 10_000, lookupTimeoutMs: 3000 },
      log,
    );
    const types = Array.from({ length: 1000 }, (_, i) => `flood.type${i}`);
    const rules = await validators.rulesFor(organizationId, [...types, 'order.created']);
    expect(counted.queries()).toBe(1);
    expect(rules.get('flood.type999')).toEqual({ registered: false });
    expect(rules.get('order.created')).toMatchObject({ registered: true });
    expect(validators.cachedRulesFor(organizationId, types)?.size).toBe(1000);
  });

  it('trusts a cached rule for its TTL only, so a missed broadcast is corrected within it', async () => {
    const counted = countingQueries(db.db);
    const validators = new EventTypeValidators(
      counted.db,
      { ttlMs: 200, maxEntries: 100, lookupTimeoutMs: 3000 },
      log,
    );
    await validators.rulesFor(organizationId, ['order.expiring']);
    expect(validators.cachedRulesFor(organizationId, ['order.expiring'])).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(validators.cachedRulesFor(organizationId, ['order.expiring'])).toBeUndefined();
    await validators.rulesFor(organizationId, ['order.expiring']);
    expect(counted.queries()).toBe(2);
  });

  it('does not cache a lookup that a change interrupted, and answers with what follows the change', async () => {
    // Results wait at this gate, so the first lookup is still in flight when the change arrives.
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated = db.db.withPlugin({
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        await gate;
        return result;
      },
    });
    const validators = new EventTypeValidators(
      gated,
      { ttlMs: 60_000, maxEntries: 100, lookupTimeoutMs: 3000 },
      log,
    );
    const during = validators.rulesFor(organizationId, ['order.shipped']); // reads "not registered"
    await new Promise((resolve) => setTimeout(resolve, 100));
    await insertEventType(db.db, { organizationId, name: 'order.shipped', description: null, schema: null });
    validators.invalidate(organizationId, 'order.shipped'); // as a broadcast of the change does
    open();
    expect((await during).get('order.shipped')).toMatchObject({ registered: true });
    expect((await validators.rulesFor(organizationId, ['order.shipped'])).get('order.shipped')).toMatchObject(
      {
        registered: true,
      },
    );
  });

  it('holds rules up to a number of bytes, however many entries are allowed', async () => {
    const validators = new EventTypeValidators(
      db.db,
      { ttlMs: 60_000, maxEntries: 100_000, maxBytes: 64 * 1024, lookupTimeoutMs: 3000 },
      log,
    );
    // Long, valid type names, each read once: 1,000 of them would take ~450 KB.
    const types = Array.from({ length: 1_000 }, (_, i) => `${'t'.repeat(120)}.${i}`);
    for (let i = 0; i < types.length; i += 100)
      await validators.rulesFor(organizationId, types.slice(i, i + 100));
    const { rules } = validators.cacheStats();
    expect(rules.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(rules.entries).toBeGreaterThan(50);
    expect(rules.entries).toBeLessThan(200);
  });

  it('holds compiled validators up to a number of bytes estimated from their schemas', async () => {
    const big = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 400 }, (_, i) => [`field_${i}`, { type: 'string' }]),
      ),
    };
    const names = Array.from({ length: 10 }, (_, i) => `big.schema.${i}`);
    for (const name of names)
      await insertEventType(db.db, { organizationId, name, description: null, schema: big });
    const validators = new EventTypeValidators(
      db.db,
      { ttlMs: 60_000, maxEntries: 100, maxCompiledBytes: 256 * 1024, lookupTimeoutMs: 3000 },
      log,
    );
    const rules = await validators.rulesFor(organizationId, names);
    expect([...rules.values()].every((rule) => rule.registered && rule.validate)).toBe(true);
    const { compiled } = validators.cacheStats();
    expect(compiled.bytes).toBeLessThanOrEqual(256 * 1024);
    expect(compiled.entries).toBeLessThan(names.length);
  });
});
