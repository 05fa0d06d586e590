// Risk: some generated request to some route crashes the API, leaks a 5xx, or stores something it refused.
import fc from 'fast-check';
import { openApiDocument } from '../src/openapi/openapi.js';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './test-api.js';
import { rawRequest } from './raw-request.js';

/** Fixed seed and a bounded run count in CI; `PROPERTY_RUNS=10000` for the long run. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261128);

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const operations = Object.entries(
  openApiDocument.paths as Record<string, Partial<Record<Method, unknown>>>,
).flatMap(([path, item]) =>
  (['get', 'post', 'put', 'patch', 'delete'] as const)
    .filter((m) => item[m] !== undefined)
    .map((method) => ({ path, method })),
);

const TABLES = [
  'event_queue',
  'events',
  'endpoints',
  'event_types',
  'deliveries',
  'organizations',
  'api_keys',
];

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    '\u0000',
    '\ud800',
    '__proto__',
    'constructor',
    '😀'.repeat(10),
    'a'.repeat(5000),
    '-1',
    '1e309',
    'NaN',
    'null',
  ),
);
/** Percent-encodes every byte of the UTF-8 form (lone surrogates included), so any string fits in a path. */
const percentEncoded = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const pathParam = fc.oneof(
  fc.uuid(),
  hostileString.map(percentEncoded),
  fc.constant('00000000-0000-0000-0000-000000000000'),
);
const body = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.dictionary(hostileString, jsonValue, { maxKeys: 6 }).map((v) => JSON.stringify(v)),
  fc
    .record({ type: hostileString, payload: jsonValue, dedup_id: hostileString }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant('{"__proto__":{"polluted":true},"type":"a.b","payload":{}}'),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'type', 'status', 'since', 'until', 'endpoint_id', 'from', 'to', 'x'),
  hostileString,
  { maxKeys: 4 },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
  'application/json; charset=latin1',
);

describe('hostile input, generated, at every route of the OpenAPI document', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'false' });
    key = (await api.createOrganization({ rateLimitPerSecond: 1_000_000 })).key;
  });
  afterAll(() => api.close());

  async function rowCounts(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      TABLES.map(
        async (t) =>
          [
            t,
            (await api.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ${api.db.sql(t)}`)[0]!.n,
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  }

  it('covers every route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  it(`answers a success or a 4xx problem+json, never a 5xx, and stores nothing when it refuses (${RUNS} requests, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.array(pathParam, { minLength: 3, maxLength: 3 }),
        query,
        body,
        contentType,
        fc.constantFrom('organization', 'admin', 'none', 'garbage'),
        async (op, params, q, payload, type, auth) => {
          let i = 0;
          const path = op.path.replace(/\{[^}]+\}/g, () => params[i++]!);
          const search = new URLSearchParams(q).toString();
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (auth === 'organization') headers.authorization = `Bearer ${key}`;
          if (auth === 'admin') headers.authorization = `Bearer ${ADMIN_TOKEN}`;
          if (auth === 'garbage') headers.authorization = 'Bearer \u00ff\u00fe';
          const before = await rowCounts();
          const res = await rawRequest(api.url, {
            method: op.method.toUpperCase(),
            path: `${path}${search ? `?${search}` : ''}`,
            headers,
            body: op.method === 'get' || op.method === 'delete' ? undefined : payload,
          });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(JSON.parse(res.body)).toMatchObject({ status: res.status, code: expect.any(String) });
            expect(await rowCounts()).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const health = await rawRequest(api.url, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
  }, 600_000);
});
