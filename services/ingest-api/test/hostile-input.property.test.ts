// Risk: some generated request to some route crashes the API, leaks a 5xx, or stores something it refused.
import fc from 'fast-check';
import { insertApiKey, insertOrganization } from '@triggers/db';
import { generateApiKey } from '../src/auth/api-keys.js';
import {
  contentEncoding,
  EDGE_DATES,
  encodeBody,
  operations,
  pathParam,
  queryValueOf,
  toJsonText,
  valueOf,
  type Operation,
} from './request-arbitraries.js';
import { ADMIN_TOKEN, anEvent, startTestApi, type TestApi } from './test-api.js';
import { rawRequest } from './raw-request.js';

/** Fixed seed and a bounded run count in CI; `PROPERTY_RUNS=10000 PROPERTY_SEED=n` for the long runs. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261128);

/** Tables whose rows a request can change, digested whole; event tables, only grown by the API, counted. */
const SNAPSHOT = `
  SELECT
    (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM organizations t) AS organizations,
    (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM api_keys t) AS api_keys,
    (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM endpoints t) AS endpoints,
    (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.organization_id, t.name), '')) FROM event_types t) AS event_types,
    (SELECT count(*)::int FROM event_queue) AS event_queue,
    (SELECT count(*)::int FROM events) AS events,
    (SELECT count(*)::int FROM deliveries) AS deliveries`;

const jsonBytes = (text: string) => Buffer.from(text, 'utf8');
/** Bodies not derived from any schema: random JSON, random bytes, prototype pollution. */
const genericBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => jsonBytes(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(jsonBytes('{"__proto__":{"polluted":true},"type":"a.b","payload":{}}')),
  fc.constant(jsonBytes(JSON.stringify({ events: [anEvent(), anEvent({ occurred_at: EDGE_DATES[0] })] }))),
);
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  fc.constantFrom('application/json; charset=utf-8', 'text/plain', '', 'application/json; charset=latin1'),
);

/** What a request exercises, read off the bytes sent: the classes of input the property must cover. */
function classesOf(path: string, body: string, encoding: string): string[] {
  const found = [
    [/\\u0000|%00/, 'nul'],
    [/\\ud[89a-f]/i, 'lone surrogate'],
    [/a{4000}|(😀){2000}/u, 'huge string'],
    [/1e309|1e400/, '1e309'],
    [/9007199254740993/, '2^53+1'],
    [/0000-01-01|9999-12-31T23:59:59-01:00|0001-01-01T00:00:00(\+|%2B)01:00|23:59:60/, 'edge date'],
    [/cursor=/, 'cursor'],
    [/"pattern"/, 'schema pattern'],
    [/%E0%A4%A(\/|$|\?)|%ff|%zz|%(\/|$|\?)/, 'undecodable escape'],
  ] as const;
  const text = `${path} ${body}`;
  return [...found.filter(([re]) => re.test(text)).map(([, name]) => name), `encoding ${encoding}`];
}

describe('hostile input, generated, at every route of the OpenAPI document', () => {
  let api: TestApi;
  let key: string;
  /**
   * Rows the generated paths may name, by the collection in the path: an organization (not the
   * caller's) and its key, an endpoint, an event, a delivery, an event type.
   */
  const known: Record<string, string[]> = {};
  const knownFor = (path: string) => known[path.split('/')[2] ?? ''] ?? [];

  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    key = (await api.createOrganization({ rateLimitPerSecond: 1_000_000 })).key;
    const other = await insertOrganization(api.db.db, { name: 'other', rateLimitPerSecond: null });
    const generated = generateApiKey();
    const otherKey = await insertApiKey(api.db.db, {
      organizationId: other.id,
      name: 'other',
      prefix: generated.prefix,
      keyHash: generated.hash,
      revokedAt: null,
    });
    const send = async (path: string, body: unknown) =>
      JSON.parse(
        (
          await rawRequest(api.url, {
            path,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify(body),
          })
        ).body,
      ) as { id: string };
    const endpoint = await send('/api/endpoints', { url: 'http://127.0.0.1:9/hook' });
    const event = await send('/api/events', anEvent());
    const test = (await send(`/api/endpoints/${endpoint.id}/test`, {})) as unknown as { delivery_id: string };
    await send('/api/event-types', { name: 'order.created', schema: { type: 'object' } });
    await api.service.committer.drain();
    Object.assign(known, {
      organizations: [other.id],
      'api-keys': [otherKey.id],
      endpoints: [endpoint.id],
      events: [event.id],
      deliveries: [test.delivery_id],
      'event-types': ['order.created', 'order.placed'],
    });
  });
  afterAll(() => api.close());

  async function snapshot(): Promise<unknown> {
    return (await api.db.sql.unsafe(SNAPSHOT))[0];
  }

  /** One request to `op`, generated from its path, query and request-body schemas. */
  const requestTo = (op: Operation) =>
    fc.record({
      op: fc.constant(op),
      params: fc.array(pathParam(knownFor(op.path)), { minLength: 3, maxLength: 3 }),
      query: fc.record(
        Object.fromEntries([
          ...op.query.map((p) => [p.name, queryValueOf(p)] as const),
          ['unknown', fc.constantFrom('x', '%00', '%E0%A4%A')] as const,
        ]),
        { requiredKeys: [] },
      ),
      body: op.body
        ? fc.oneof(
            { arbitrary: valueOf(op.body).map((v) => jsonBytes(toJsonText(v))), weight: 6 },
            genericBody,
          )
        : genericBody,
      encoding: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 6 }, contentEncoding),
      contentType,
      auth: fc.oneof(
        { arbitrary: fc.constant('right' as const), weight: 8 },
        fc.constantFrom('organization', 'admin', 'none', 'garbage'),
      ),
    });

  it('covers every route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it(`answers a success or a 4xx problem+json, never a 5xx, and stores nothing when it refuses (${RUNS} requests, seed ${SEED})`, async () => {
    const statuses = new Map<number, number>();
    const classes = new Map<string, number>();
    const reached = new Set<string>();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations).chain(requestTo),
        async ({ op, params, query, body, encoding, contentType: type, auth }) => {
          let i = 0;
          const path = op.path.replace(/\{([^}]+)\}/g, () => params[i++]!);
          const search = Object.entries(query)
            .flatMap(([name, value]) =>
              ([] as string[]).concat(value ?? []).map((v) =>
                // Raw escapes travel as written; everything else percent-encoded (a lone surrogate
                // cannot be: a URL carries UTF-8, and the API reads any bad escape as U+FFFD).
                name === 'unknown' ? `${name}=${v}` : `${name}=${encodeURIComponent(v.toWellFormed())}`,
              ),
            )
            .join('&');
          const admin = op.path.startsWith('/admin');
          const credential = {
            right: admin ? ADMIN_TOKEN : key,
            organization: key,
            admin: ADMIN_TOKEN,
            none: undefined,
            garbage: '\u00ff\u00fe',
          }[auth];
          const sendsBody = op.method !== 'get' && op.method !== 'delete';
          const encoded = encodeBody(body, encoding);
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (credential) headers.authorization = `Bearer ${credential}`;
          if (sendsBody && encoded.header) headers['content-encoding'] = encoded.header;
          const fullPath = `${path}${search ? `?${search}` : ''}`;

          const before = await snapshot();
          const res = await rawRequest(api.url, {
            method: op.method.toUpperCase(),
            path: fullPath,
            headers,
            body: sendsBody ? encoded.body : undefined,
          });

          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          for (const c of classesOf(
            fullPath,
            sendsBody ? body.toString('utf8') : '',
            sendsBody ? encoding : 'none',
          ))
            classes.set(c, (classes.get(c) ?? 0) + 1);
          reached.add(`${op.method} ${op.path}`);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(JSON.parse(res.body)).toMatchObject({ status: res.status, code: expect.any(String) });
            expect(await snapshot()).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    if (process.env.PROPERTY_RUNS) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.info(
        `${RUNS} requests, seed ${SEED}, ${seconds} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; classes ${JSON.stringify(Object.fromEntries(classes))}`,
      );
    }
    // The run reached every route and every class of hostile input, or it proved less than it claims.
    expect([...reached].sort()).toEqual(operations.map((op) => `${op.method} ${op.path}`).sort());
    expect([...classes.keys()]).toEqual(
      expect.arrayContaining([
        'nul',
        'lone surrogate',
        'huge string',
        '1e309',
        '2^53+1',
        'edge date',
        'cursor',
        'schema pattern',
        'undecodable escape',
        'encoding gzip',
        'encoding gzip-corrupt',
        'encoding deflate-corrupt',
        'encoding br',
        'encoding br-corrupt',
        'encoding zstd',
      ]),
    );
    const health = await rawRequest(api.url, { method: 'GET', path: '/healthz' });
    expect(health.status).toBe(200);
  }, 1_800_000);
});
