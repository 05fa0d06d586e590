// Risk: a value Postgres or Date cannot hold (NUL, a lone surrogate, a number JSON cannot carry, a date outside years 1 to 9999) reaches a query and answers 500, or is stored silently altered.
import { ADMIN_TOKEN, startTestApi, type TestApi } from './test-api.js';
import { rawRequest } from './raw-request.js';

/** Every table a refused request could have written to. */
const TABLES = ['organizations', 'api_keys', 'endpoints', 'event_types', 'event_queue', 'deliveries'];
const NUL = '\\u0000';
const LONE = '\\ud800';
const forgedCursor = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const ZERO_ID = '00000000-0000-0000-0000-000000000000';
/** Dates RFC 3339 allows that Date or Postgres cannot hold. */
const EDGE_DATES = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-01:00',
  '0001-01-01T00:00:00+01:00',
  '2016-12-31T23:59:60Z',
];

interface BodyCase {
  name: string;
  method: 'POST' | 'PATCH';
  /** `{endpoint}`, `{org}` and `{type}` become the ids of existing rows. */
  path: string;
  admin?: boolean;
  /** Raw JSON text, so that lone surrogates and literal numbers travel exactly as written. */
  json: string;
  pointer: string;
}

const bodyCases: BodyCase[] = [
  {
    name: 'a NUL in an endpoint description',
    method: 'POST',
    path: '/api/endpoints',
    json: `{"url":"http://127.0.0.1:9/hook","description":"a${NUL}b"}`,
    pointer: '/description',
  },
  {
    name: 'a NUL in an endpoint URL',
    method: 'POST',
    path: '/api/endpoints',
    json: `{"url":"http://127.0.0.1:9/hook${NUL}"}`,
    pointer: '/url',
  },
  {
    name: 'a lone surrogate in an endpoint description',
    method: 'POST',
    path: '/api/endpoints',
    json: `{"url":"http://127.0.0.1:9/hook","description":"${LONE}"}`,
    pointer: '/description',
  },
  {
    name: 'a NUL in a changed endpoint description',
    method: 'PATCH',
    path: '/api/endpoints/{endpoint}',
    json: `{"description":"x${NUL}"}`,
    pointer: '/description',
  },
  {
    name: 'an integer beyond 2^53 in an endpoint setting',
    method: 'POST',
    path: '/api/endpoints',
    json: '{"url":"http://127.0.0.1:9/hook","max_attempts":9007199254740993}',
    pointer: '/max_attempts',
  },
  {
    name: 'a NUL in an event-type name',
    method: 'POST',
    path: '/api/event-types',
    json: `{"name":"order${NUL}.created"}`,
    pointer: '/name',
  },
  {
    name: 'a NUL in an event-type description',
    method: 'POST',
    path: '/api/event-types',
    json: `{"name":"order.placed","description":"${NUL}"}`,
    pointer: '/description',
  },
  {
    name: 'a NUL in a string of an event-type schema',
    method: 'POST',
    path: '/api/event-types',
    json: `{"name":"order.placed","schema":{"type":"object","description":"a${NUL}"}}`,
    pointer: '/schema/description',
  },
  {
    name: 'a NUL in a property name of an event-type schema',
    method: 'POST',
    path: '/api/event-types',
    json: `{"name":"order.placed","schema":{"type":"object","properties":{"a${NUL}":{}}}}`,
    pointer: `/schema/properties/a\u0000`,
  },
  {
    name: 'a lone surrogate in a changed event-type schema',
    method: 'PATCH',
    path: '/api/event-types/{type}',
    json: `{"schema":{"type":"object","properties":{"s":{"const":"${LONE}"}}}}`,
    pointer: '/schema/properties/s/const',
  },
  {
    name: '1e309 in an event-type schema (stored as null by JSON)',
    method: 'POST',
    path: '/api/event-types',
    json: '{"name":"order.placed","schema":{"type":"number","maximum":1e309}}',
    pointer: '/schema/maximum',
  },
  {
    name: '9007199254740993 in an event-type schema (stored rounded)',
    method: 'POST',
    path: '/api/event-types',
    json: '{"name":"order.placed","schema":{"type":"integer","minimum":9007199254740993}}',
    pointer: '/schema/minimum',
  },
  {
    name: 'a NUL in an organization name',
    method: 'POST',
    path: '/admin/organizations',
    admin: true,
    json: `{"name":"acme${NUL}"}`,
    pointer: '/name',
  },
  {
    name: 'a lone surrogate in an organization name',
    method: 'POST',
    path: '/admin/organizations',
    admin: true,
    json: `{"name":"${LONE}"}`,
    pointer: '/name',
  },
  {
    name: 'a NUL in a changed organization name',
    method: 'PATCH',
    path: '/admin/organizations/{org}',
    admin: true,
    json: `{"name":"${NUL}"}`,
    pointer: '/name',
  },
  {
    name: '1e309 as an organization rate limit',
    method: 'POST',
    path: '/admin/organizations',
    admin: true,
    json: '{"name":"acme","rate_limit_per_second":1e309}',
    pointer: '/rate_limit_per_second',
  },
  {
    name: 'a NUL in an API key name',
    method: 'POST',
    path: '/admin/organizations/{org}/api-keys',
    admin: true,
    json: `{"name":"ci${NUL}"}`,
    pointer: '/name',
  },
  {
    name: 'a lone surrogate in an API key name',
    method: 'POST',
    path: '/admin/organizations/{org}/api-keys',
    admin: true,
    json: `{"name":"${LONE}"}`,
    pointer: '/name',
  },
  ...EDGE_DATES.map((at) => ({
    name: `the date ${at} in a bulk replay filter`,
    method: 'POST' as const,
    path: '/api/deliveries/replay',
    json: JSON.stringify({ from: at, dry_run: true }),
    pointer: '/from',
  })),
];

const queryCases: { name: string; path: string }[] = [
  ...EDGE_DATES.flatMap((at) => [
    { name: `from=${at} in the event listing`, path: `/api/events?from=${encodeURIComponent(at)}` },
    { name: `to=${at} in the delivery listing`, path: `/api/deliveries?to=${encodeURIComponent(at)}` },
  ]),
  ...['0000-01-01T00:00:00.000000Z', '2026-02-30T00:00:00.000000Z', '2016-12-31T23:59:60.000000Z'].flatMap(
    (at) => [
      {
        name: `an events cursor at ${at}`,
        path: `/api/events?cursor=${forgedCursor(['events', at, ZERO_ID])}`,
      },
      {
        name: `a deliveries cursor at ${at}`,
        path: `/api/deliveries?cursor=${forgedCursor(['deliveries', at, ZERO_ID])}`,
      },
      {
        name: `an endpoints cursor at ${at}`,
        path: `/api/endpoints?cursor=${forgedCursor(['endpoints', at, ZERO_ID])}`,
      },
      {
        name: `an inbox cursor at ${at}`,
        path: `/api/inbox?cursor=${forgedCursor(['inbox', '1', at, ZERO_ID])}`,
      },
    ],
  ),
  {
    name: 'an inbox cursor whose transaction id is past xid8',
    path: `/api/inbox?cursor=${forgedCursor(['inbox', '99999999999999999999', '2026-01-01T00:00:00.000000Z', ZERO_ID])}`,
  },
  { name: 'a NUL in a parameter', path: '/api/events?type=order%00.created' },
  { name: 'limit=1e309', path: '/api/events?limit=1e309' },
];

describe('values Postgres or Date cannot hold', () => {
  let api: TestApi;
  let key: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    const org = await api.createOrganization();
    key = org.key;
    ids.org = org.id;
    const send = (path: string, body: unknown) =>
      rawRequest(api.url, {
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    ids.endpoint = (
      JSON.parse((await send('/api/endpoints', { url: 'http://127.0.0.1:9/hook' })).body) as { id: string }
    ).id;
    await send('/api/event-types', { name: 'order.created', schema: { type: 'object' } });
    ids.type = 'order.created';
  });
  afterAll(() => api.close());

  /** A digest of every row of every table, so that an UPDATE shows as well as an INSERT. */
  async function snapshot(): Promise<string[]> {
    return Promise.all(
      TABLES.map(
        async (t) =>
          (
            await api.db.sql<{ digest: string }[]>`
              SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) AS digest
              FROM ${api.db.sql(t)} r`
          )[0]!.digest,
      ),
    );
  }

  it.each(bodyCases)(
    'answers $name with 422 validation_failed pointing at it, and stores nothing',
    async (c) => {
      const before = await snapshot();
      const res = await rawRequest(api.url, {
        method: c.method,
        path: c.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name]!),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${c.admin ? ADMIN_TOKEN : key}`,
        },
        body: c.json,
      });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(res.body) as { code: string; errors: { pointer: string }[] };
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.pointer)).toContain(c.pointer);
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(queryCases)('answers $name with 400 invalid_query', async (c) => {
    const res = await rawRequest(api.url, {
      method: 'GET',
      path: c.path,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'invalid_query' });
  });

  it('accepts the first and last instants both hold', async () => {
    for (const at of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      const res = await rawRequest(api.url, {
        method: 'GET',
        path: `/api/events?from=${encodeURIComponent(at)}`,
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status).toBe(200);
    }
  });
});
