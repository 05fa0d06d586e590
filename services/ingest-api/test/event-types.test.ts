// Risk: payloads that break a registered schema get stored, a schema change does not reach every instance, or one organization's schema affects another.
import { ADMIN_TOKEN, anEvent, startTestApi, type TestApi } from './test-api.js';
import { call, waitFor } from './fixtures.js';

const orderSchema = {
  type: 'object',
  required: ['order_id', 'total'],
  properties: { order_id: { type: 'string' }, total: { type: 'integer', minimum: 0 } },
};

describe('/api/event-types', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  it('registers, lists, gets, changes and deletes a type', async () => {
    const created = await call(api, 'POST', '/api/event-types', org.key, {
      name: 'crud.done',
      description: 'x',
      schema: orderSchema,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/event-types/crud.done');
    expect(created.body).toMatchObject({ name: 'crud.done', description: 'x', schema: orderSchema });
    expect((await call(api, 'GET', '/api/event-types/crud.done', org.key)).body).toMatchObject({
      schema: orderSchema,
    });
    const changed = await call(api, 'PATCH', '/api/event-types/crud.done', org.key, { schema: null });
    expect(changed.body).toMatchObject({ schema: null, description: 'x' });
    const dup = await call(api, 'POST', '/api/event-types', org.key, { name: 'crud.done' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'event_type_exists' });
    expect((await call(api, 'DELETE', '/api/event-types/crud.done', org.key)).status).toBe(204);
    expect((await call(api, 'GET', '/api/event-types/crud.done', org.key)).status).toBe(404);
  });

  it('pages through types by name', async () => {
    const other = await api.createOrganization();
    for (const name of ['c.c', 'a.a', 'b.b'])
      await call(api, 'POST', '/api/event-types', other.key, { name });
    const first = await call<{ data: { name: string }[]; next_cursor: string }>(
      api,
      'GET',
      '/api/event-types?limit=2',
      other.key,
    );
    expect(first.body.data.map((t) => t.name)).toEqual(['a.a', 'b.b']);
    const second = await call<{ data: { name: string }[]; next_cursor: string | null }>(
      api,
      'GET',
      `/api/event-types?limit=2&cursor=${first.body.next_cursor}`,
      other.key,
    );
    expect(second.body).toMatchObject({ data: [{ name: 'c.c' }], next_cursor: null });
  });

  it.each([
    ['an unknown keyword (strict)', { type: 'object', propertiez: {} }],
    ['a wrong keyword value', { type: 'objekt' }],
    ['a remote reference (never fetched)', { $ref: 'https://schemas.example/order.json' }],
    ['an unsupported $schema', { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' }],
    ['a pattern too long', { type: 'string', pattern: `(${'a'.repeat(300)})+$` }],
    ['nesting too deep', JSON.parse(`${'{"not":'.repeat(40)}{}${'}'.repeat(40)}`) as object],
    ['more than 64 KiB', { type: 'object', description: 'x'.repeat(70 * 1024) }],
    ['an unknown format', { type: 'string', format: 'credit-card' }],
    [
      'a reference cycle that never descends into the payload',
      { $defs: { a: { $ref: '#' } }, $ref: '#/$defs/a' },
    ],
  ])('refuses a schema with %s with 422 invalid_schema', async (_name, schema) => {
    const res = await call(api, 'POST', '/api/event-types', org.key, { name: 'bad.schema', schema });
    expect([res.status, res.body]).toEqual([
      422,
      expect.objectContaining({ code: expect.stringMatching(/^(invalid_schema|validation_failed)$/) }),
    ]);
    expect((await call(api, 'GET', '/api/event-types/bad.schema', org.key)).status).toBe(404);
  });

  it.each([
    ['a backreference', { type: 'string', pattern: '^(a+)\\1$' }, '/schema/pattern'],
    [
      'a lookahead in patternProperties',
      { type: 'object', patternProperties: { '^(?=x)': {} } },
      '/schema/patternProperties/^(?=x)',
    ],
    [
      'a lookbehind deep inside',
      {
        type: 'object',
        properties: { a: { type: 'array', items: { type: 'string', pattern: '(?<=\\$)1' } } },
      },
      '/schema/properties/a/items/pattern',
    ],
    [
      'a backreference under a property named enum',
      { type: 'object', properties: { enum: { type: 'string', pattern: '^(a)\\1$' } } },
      '/schema/properties/enum/pattern',
    ],
  ])('refuses a pattern with %s, pointing at it', async (_name, schema, pointer) => {
    const res = await call(api, 'POST', '/api/event-types', org.key, { name: 'bad.pattern', schema });
    expect([res.status, res.body]).toEqual([
      422,
      expect.objectContaining({
        code: 'invalid_schema',
        errors: [{ pointer, message: expect.stringMatching(/linear time/) }],
      }),
    ]);
  });

  it('refuses a schema whose checks multiply with the depth of the payload, naming the bound', async () => {
    const branch = { type: 'array', items: { $ref: '#/$defs/n' } };
    const res = await call(api, 'POST', '/api/event-types', org.key, {
      name: 'bad.fanout',
      schema: { $defs: { n: { anyOf: [branch, branch] } }, $ref: '#/$defs/n' },
    });
    expect([res.status, res.body]).toEqual([
      422,
      expect.objectContaining({
        code: 'invalid_schema',
        errors: [{ pointer: '/schema', message: expect.stringMatching(/at most 256 are allowed/) }],
      }),
    ]);
  });

  it('refuses a nested $id under a property named const, where it would hide a multiplying reference', async () => {
    // Below its own $id, `#` means this subschema: the fan-out count would follow `#` to the root.
    const hidden = {
      $id: 'https://x.test/n',
      type: 'array',
      items: { anyOf: [{ $ref: '#' }, { $ref: '#' }] },
    };
    let inner: Record<string, unknown> = { type: 'object', properties: { g: hidden } };
    for (const name of ['f', 'e', 'd', 'c', 'b', 'a'])
      inner = { type: 'object', properties: { [name]: inner } };
    const res = await call(api, 'POST', '/api/event-types', org.key, {
      name: 'bad.nested.id',
      schema: { type: 'object', properties: { const: inner } },
    });
    expect([res.status, res.body]).toEqual([
      422,
      expect.objectContaining({
        code: 'invalid_schema',
        errors: [
          {
            pointer: `/schema/properties/const${['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => `/properties/${n}`).join('')}/$id`,
            message: 'nested $id is not supported',
          },
        ],
      }),
    ]);
    expect((await call(api, 'GET', '/api/event-types/bad.nested.id', org.key)).status).toBe(404);
  });

  it('matches every format in linear time, with its usual meaning', async () => {
    const formats = [
      'date-time',
      'date',
      'email',
      'hostname',
      'ipv4',
      'ipv6',
      'uuid',
      'duration',
      'uri-reference',
      'uri',
      'url',
      'regex',
    ];
    const schema = {
      type: 'object',
      properties: Object.fromEntries(formats.map((f) => [f, { type: 'string', format: f }])),
    };
    const res = await call(api, 'POST', '/api/event-types', org.key, { name: 'formats.all', schema });
    expect(res.status).toBe(201);
    const good = {
      'date-time': '2026-12-07T10:00:00Z',
      date: '2026-12-07',
      email: 'a@b.example',
      hostname: 'api.example.com',
      ipv4: '10.0.0.1',
      ipv6: '::1',
      uuid: '7f1b6a52-43a8-4b8a-9a51-3a3f5c0f4e21',
      duration: 'P1DT2H',
      'uri-reference': '/a/b?c#d',
      uri: 'urn:example:a',
      url: 'https://api.example.com/a?b',
      regex: '^[a-z]+$',
    };
    const send = (payload: object) =>
      call(api, 'POST', '/api/events', org.key, { type: 'formats.all', payload });
    expect((await send(good)).status).toBe(202);
    for (const [format, bad] of Object.entries({
      hostname: '-x',
      duration: 'PT',
      ipv4: '300.1.1.1',
      email: 'a@',
      uri: 'no scheme',
      url: 'mailto:a@b.example',
      regex: '(',
    })) {
      const res = await send({ ...good, [format]: bad });
      expect([format, res.status]).toEqual([format, 422]);
    }
  });

  it('accepts a draft-07 schema and schemas with $id in two organizations without interference', async () => {
    const other = await api.createOrganization();
    const a = await call(api, 'POST', '/api/event-types', org.key, {
      name: 'shared.id',
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'https://x.example/s',
        type: 'object',
        required: ['a'],
      },
    });
    const b = await call(api, 'POST', '/api/event-types', other.key, {
      name: 'shared.id',
      schema: { $id: 'https://x.example/s', type: 'object', required: ['b'] },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(
      (await call(api, 'POST', '/api/events', org.key, { type: 'shared.id', payload: { a: 1 } })).status,
    ).toBe(202);
    expect(
      (await call(api, 'POST', '/api/events', other.key, { type: 'shared.id', payload: { b: 1 } })).status,
    ).toBe(202);
    expect(
      (await call(api, 'POST', '/api/events', other.key, { type: 'shared.id', payload: { a: 1 } })).status,
    ).toBe(422);
  });
});

describe('schema enforcement at ingest', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ EVENT_TYPE_CACHE_TTL_MS: '600000' });
    org = await api.createOrganization();
    await call(api, 'POST', '/api/event-types', org.key, { name: 'order.created', schema: orderSchema });
  });
  afterAll(() => api.close());

  it('rejects a payload that does not match with 422 naming the first ajv error, storing nothing', async () => {
    const res = await call(api, 'POST', '/api/events', org.key, anEvent({ payload: { total: -1 } }));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    // Validation stops at the first error, so that its cost stays bounded.
    expect((res.body as { errors: unknown[] }).errors).toEqual([
      { pointer: '/payload/order_id', message: 'is required' },
    ]);
    expect(await api.db.sql`SELECT 1 FROM event_queue WHERE organization_id = ${org.id}`).toHaveLength(0);
  });

  it('accepts a matching payload, and unregistered types (the organization is not strict)', async () => {
    expect((await call(api, 'POST', '/api/events', org.key, anEvent())).status).toBe(202);
    expect(
      (await call(api, 'POST', '/api/events', org.key, anEvent({ type: 'not.registered' }))).status,
    ).toBe(202);
  });

  it('points a duplicate item at the array that holds it', async () => {
    const schema = { type: 'object', properties: { tags: { type: 'array', uniqueItems: true } } };
    await call(api, 'POST', '/api/event-types', org.key, { name: 'tagged.item', schema });
    const res = await call(api, 'POST', '/api/events', org.key, {
      type: 'tagged.item',
      payload: { tags: [1, 1] },
    });
    expect([res.status, res.body]).toEqual([
      422,
      expect.objectContaining({
        errors: [{ pointer: '/payload/tags', message: expect.stringMatching(/duplicate items/) }],
      }),
    ]);
  });

  it('refuses a payload with more values than its schema’s cost allows, and checks smaller ones', async () => {
    // 250 enum values: each array item may cost ~250 checks, so a few thousand items are the most.
    const schema = {
      type: 'object',
      properties: {
        codes: { type: 'array', items: { enum: Array.from({ length: 250 }, (_, i) => `c${i}`) } },
      },
    };
    await call(api, 'POST', '/api/event-types', org.key, { name: 'costly.enum', schema });
    const many = await call(api, 'POST', '/api/events', org.key, {
      type: 'costly.enum',
      payload: { codes: Array.from({ length: 5000 }, () => 'c249') },
    });
    expect([many.status, many.body]).toEqual([
      422,
      expect.objectContaining({
        errors: [{ pointer: '/payload', message: expect.stringMatching(/^holds more than \d+ values/) }],
      }),
    ]);
    const few = await call(api, 'POST', '/api/events', org.key, {
      type: 'costly.enum',
      payload: { codes: Array.from({ length: 1000 }, () => 'c249') },
    });
    expect(few.status).toBe(202);
    // A schema that cheap checks any body the size limit allows.
    const cheap = await call(api, 'POST', '/api/events', org.key, {
      type: 'tagged.item',
      payload: { tags: Array.from({ length: 20_000 }, (_, i) => i) },
    });
    expect(cheap.status).toBe(202);
  });

  it('checks each event of a batch, storing the valid ones', async () => {
    const res = await call<{
      rejected: number;
      results: { status: string; errors?: { pointer: string }[] }[];
    }>(api, 'POST', '/api/events/batch', org.key, {
      events: [anEvent(), anEvent({ payload: { order_id: 7, total: 1 } }), anEvent({ type: 'free.form' })],
    });
    expect(res.status).toBe(207);
    expect(res.body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(res.body.results[1]!.errors).toEqual([
      { pointer: '/events/1/payload/order_id', message: 'must be string' },
    ]);
  });

  it('applies a changed schema at once, however long the cache TTL', async () => {
    const strict = { ...orderSchema, properties: { ...orderSchema.properties, currency: { const: 'EUR' } } };
    expect(
      (await call(api, 'PATCH', '/api/event-types/order.created', org.key, { schema: strict })).status,
    ).toBe(200);
    const res = await call(
      api,
      'POST',
      '/api/events',
      org.key,
      anEvent({ payload: { order_id: 'o', total: 1, currency: 'USD' } }),
    );
    expect(res.status).toBe(422);
    expect((await call(api, 'DELETE', '/api/event-types/order.created', org.key)).status).toBe(204);
    expect(
      (await call(api, 'POST', '/api/events', org.key, anEvent({ payload: { anything: true } }))).status,
    ).toBe(202);
  });

  it('refuses unregistered types once the organization turns on strict mode', async () => {
    const strictOrg = await api.createOrganization();
    await call(api, 'POST', '/api/event-types', strictOrg.key, { name: 'known.type' });
    const patched = await fetch(`${api.url}/admin/organizations/${strictOrg.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ strict_event_types: true }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ strict_event_types: true });
    const refused = await call(api, 'POST', '/api/events', strictOrg.key, anEvent({ type: 'unknown.type' }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      errors: [{ pointer: '/type', message: expect.stringContaining('not a registered event type') }],
    });
    expect(
      (await call(api, 'POST', '/api/events', strictOrg.key, anEvent({ type: 'known.type' }))).status,
    ).toBe(202);
  });
});

describe('schema changes across ingest instances', () => {
  let first: TestApi;
  let second: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    // Two instances over one database and one Redis prefix; a cache TTL far longer than the test,
    // so only the broadcast can explain the second instance seeing the change.
    first = await startTestApi({ EVENT_TYPE_CACHE_TTL_MS: '600000' });
    second = await startTestApi(
      {
        DATABASE_URL: first.db.url,
        REDIS_KEY_PREFIX: first.config.redis.keyPrefix,
        EVENT_TYPE_CACHE_TTL_MS: '600000',
      },
      first.db,
    );
    org = await first.createOrganization();
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('invalidates the other instance’s cached rule through Redis pub/sub', async () => {
    const bad = anEvent({ type: 'user.created', payload: { nope: true } });
    // The second instance caches "user.created is unregistered".
    expect((await call(second, 'POST', '/api/events', org.key, bad)).status).toBe(202);
    await call(first, 'POST', '/api/event-types', org.key, {
      name: 'user.created',
      schema: { type: 'object', required: ['user_id'] },
    });
    await waitFor(async () => (await call(second, 'POST', '/api/events', org.key, bad)).status === 422, 5000);
    await call(first, 'PATCH', '/api/event-types/user.created', org.key, { schema: null });
    await waitFor(async () => (await call(second, 'POST', '/api/events', org.key, bad)).status === 202, 5000);
  });
});
