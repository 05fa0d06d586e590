// Risk: hostile or broken input crashes the API, leaks internals, or gets stored.
import { deflateSync, gzipSync } from 'node:zlib';
import { revokeApiKey } from '@triggers/db';
import { anEvent, startTestApi, type TestApi } from './test-api.js';
import { rawRequest } from './raw-request.js';

interface Case {
  name: string;
  path?: string;
  /** Sent as JSON unless a Buffer or string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Which key to send: the organization's (default), a revoked one, or none. */
  auth?: 'valid' | 'revoked' | 'none' | { header: string; value: string };
  status: number;
  code: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

const cases: Case[] = [
  { name: 'malformed JSON', body: '{"type": "a.b", "payload": {', status: 400, code: 'malformed_json' },
  {
    name: 'trailing garbage after JSON',
    body: '{"type":"a.b","payload":{}} x',
    status: 400,
    code: 'malformed_json',
  },
  { name: 'a bare JSON string', body: '"order.created"', status: 400, code: 'malformed_json' },
  {
    name: 'bytes that are not UTF-8',
    body: Buffer.from([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
    code: 'invalid_encoding',
  },
  {
    name: 'no content type',
    body: JSON.stringify(anEvent()),
    headers: {},
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'text/plain',
    body: JSON.stringify(anEvent()),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form',
    body: 'type=a.b&payload=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON in a charset other than UTF-8',
    body: JSON.stringify(anEvent()),
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'an unknown content encoding',
    body: JSON.stringify(anEvent()),
    headers: { ...JSON_TYPE, 'content-encoding': 'compress' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a gzip Content-Encoding on a body that is not gzip',
    body: JSON.stringify(anEvent()),
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    status: 400,
    code: 'invalid_content_encoding',
  },
  {
    name: 'a truncated deflate body',
    body: deflateSync(Buffer.from(JSON.stringify(anEvent()))).subarray(0, 10),
    headers: { ...JSON_TYPE, 'content-encoding': 'deflate' },
    status: 400,
    code: 'invalid_content_encoding',
  },
  {
    name: '1e309 in the payload (JSON would carry it as null)',
    body: '{"type":"a.b","payload":{"n":1e309}}',
    status: 422,
    code: 'validation_failed',
  },
  {
    name: '9007199254740993 in the payload (JSON would carry it rounded)',
    body: '{"type":"a.b","payload":{"n":9007199254740993}}',
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a body over the limit',
    body: anEvent({ payload: { blob: 'x'.repeat(300 * 1024) } }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a gzip bomb (small on the wire, huge inflated)',
    body: gzipSync(Buffer.from(JSON.stringify(anEvent({ payload: { blob: '0'.repeat(5 * 1024 * 1024) } })))),
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    status: 413,
    code: 'payload_too_large',
  },
  { name: 'an empty body', body: '', status: 422, code: 'validation_failed' },
  { name: 'a JSON array', body: [anEvent()], status: 422, code: 'validation_failed' },
  { name: 'missing type', body: { payload: {} }, status: 422, code: 'validation_failed' },
  { name: 'missing payload', body: { type: 'order.created' }, status: 422, code: 'validation_failed' },
  {
    name: 'type of the wrong JSON type',
    body: anEvent({ type: 42 }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'type with spaces',
    body: anEvent({ type: 'order created' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'type with a wildcard',
    body: anEvent({ type: 'order.*' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'type with an empty segment',
    body: anEvent({ type: 'order..created' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a huge type',
    body: anEvent({ type: 'a'.repeat(10_000) }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'SQL in the type',
    body: anEvent({ type: "x'; DROP TABLE events; --" }),
    status: 422,
    code: 'validation_failed',
  },
  { name: 'payload a string', body: anEvent({ payload: 'hello' }), status: 422, code: 'validation_failed' },
  { name: 'payload an array', body: anEvent({ payload: [1, 2] }), status: 422, code: 'validation_failed' },
  { name: 'payload null', body: anEvent({ payload: null }), status: 422, code: 'validation_failed' },
  { name: 'an empty dedup_id', body: anEvent({ dedup_id: '' }), status: 422, code: 'validation_failed' },
  {
    name: 'a huge dedup_id',
    body: anEvent({ dedup_id: 'd'.repeat(100_000) }),
    status: 422,
    code: 'validation_failed',
  },
  { name: 'dedup_id a number', body: anEvent({ dedup_id: 7 }), status: 422, code: 'validation_failed' },
  {
    name: 'occurred_at not a date',
    body: anEvent({ occurred_at: 'yesterday' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'an unknown top-level property',
    body: anEvent({ organization_id: '00000000-0000-0000-0000-000000000000' }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a __proto__ key at the top level',
    body: '{"type":"a.b","payload":{},"__proto__":{"admin":true}}',
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a __proto__ key inside the payload',
    body: '{"type":"a.b","payload":{"user":{"__proto__":{"admin":true}}}}',
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a payload nested 40 deep',
    body: anEvent({ payload: nested(40) }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a payload nested 50,000 deep',
    body: `{"type":"a.b","payload":{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a NUL character in the payload',
    body: anEvent({ payload: { name: 'a\u0000b' } }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a NUL character in a payload key',
    body: anEvent({ payload: { 'a\u0000': 1 } }),
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a lone surrogate in the payload',
    body: '{"type":"a.b","payload":{"s":"\\ud800"}}',
    status: 422,
    code: 'validation_failed',
  },
  { name: 'no API key', body: anEvent(), auth: 'none', status: 401, code: 'unauthorized' },
  {
    name: 'an unknown API key',
    body: anEvent(),
    auth: { header: 'authorization', value: `Bearer trg_${'A'.repeat(43)}` },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a malformed API key',
    body: anEvent(),
    auth: { header: 'x-api-key', value: "' OR 1=1 --" },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'Basic instead of Bearer',
    body: anEvent(),
    auth: { header: 'authorization', value: 'Basic dXNlcjpwYXNz' },
    status: 401,
    code: 'unauthorized',
  },
  { name: 'a revoked API key', body: anEvent(), auth: 'revoked', status: 401, code: 'unauthorized' },
  {
    name: 'a batch whose events is not an array',
    path: '/api/events/batch',
    body: { events: anEvent() },
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'an empty batch',
    path: '/api/events/batch',
    body: { events: [] },
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'a batch of only invalid events',
    path: '/api/events/batch',
    body: { events: [{ type: 1 }, { payload: {} }] },
    status: 422,
    code: 'validation_failed',
  },
  {
    name: 'an unknown route',
    path: '/api/nothing-here',
    body: anEvent(),
    status: 404,
    code: 'route_not_found',
  },
];

describe('bad input to the ingest API', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  let revokedKey: string;
  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrganization();
    const other = await api.createOrganization();
    await revokeApiKey(api.db.db, other.keyId);
    revokedKey = other.key;
  });
  afterAll(() => api.close());

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('answers $name with $status $code as problem+json and stores nothing', async (c) => {
    const headers: Record<string, string> = { ...(c.headers ?? JSON_TYPE) };
    const auth = c.auth ?? 'valid';
    if (auth === 'valid') headers.authorization = `Bearer ${org.key}`;
    else if (auth === 'revoked') headers.authorization = `Bearer ${revokedKey}`;
    else if (typeof auth === 'object') headers[auth.header] = auth.value;
    const body = Buffer.isBuffer(c.body) || typeof c.body === 'string' ? c.body : JSON.stringify(c.body);

    const res = await rawRequest(api.url, { path: c.path ?? '/api/events', headers, body });

    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.body) as Record<string, unknown>;
    expect(problem).toMatchObject({
      status: c.status,
      code: c.code,
      type: expect.stringContaining('/problems/'),
    });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+|node_modules|Error:/);
    expect(await api.db.sql`SELECT 1 FROM event_queue`).toHaveLength(0);
  });

  it('stores SQL-looking text in a payload verbatim, as data', async () => {
    const evil = "'); DROP TABLE event_queue; --";
    const res = await rawRequest(api.url, {
      path: '/api/events',
      headers: { ...JSON_TYPE, authorization: `Bearer ${org.key}` },
      body: JSON.stringify(anEvent({ dedup_id: evil, payload: { note: evil } })),
    });
    expect(res.status).toBe(202);
    const rows = await api.db.sql<
      { dedup_id: string; payload: { note: string } }[]
    >`SELECT dedup_id, payload FROM event_queue`;
    expect(rows).toEqual([{ dedup_id: evil, payload: { note: evil } }]);
  });

  it('keeps serving after all of the above', async () => {
    const res = await rawRequest(api.url, { method: 'GET', path: '/healthz' });
    expect(res.status).toBe(200);
  });
});
