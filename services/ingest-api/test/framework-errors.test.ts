// Risk: a client's malformed request (a path that does not percent-decode, a body that is not what its Content-Encoding says) is answered, and logged, as our 500.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { ADMIN_TOKEN, anEvent, startTestApi, type TestApi } from './test-api.js';
import { rawRequest } from './raw-request.js';

const EVENT = JSON.stringify(anEvent());

describe('framework errors', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await startTestApi();
    key = (await api.createOrganization({ rateLimitPerSecond: 1_000_000 })).key;
  });
  afterAll(() => api.close());

  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) =>
    rawRequest(api.url, {
      method,
      path,
      headers: { authorization: `Bearer ${path.startsWith('/admin') ? ADMIN_TOKEN : key}`, ...headers },
      body,
    });

  async function expectProblem(res: Awaited<ReturnType<typeof send>>, status: number, code: string) {
    expect({ status: res.status, code: (JSON.parse(res.body) as { code: string }).code }).toEqual({
      status,
      code,
    });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await api.db.sql`SELECT 1 FROM event_queue`).toHaveLength(0);
  }

  it.each([
    ['GET', '/api/events/%E0%A4%A'],
    ['DELETE', '/api/events/%ff'],
    ['GET', '/api/endpoints/%ZZ/stats'],
    ['GET', '/api/event-types/order%C0.created'],
    ['GET', '/api/deliveries/%E0%A4%A'],
    ['GET', '/admin/organizations/%E0%A4%A/api-keys'],
  ])('answers %s %s, a path id that does not percent-decode, with 400 invalid_path', async (method, path) => {
    await expectProblem(await send(method, path), 400, 'invalid_path');
  });

  it.each([
    ['gzip', Buffer.from(EVENT)],
    ['gzip', gzipSync(EVENT).subarray(0, 20)],
    ['deflate', Buffer.from(EVENT)],
    ['br', Buffer.from(EVENT)],
    ['br', brotliCompressSync(EVENT).subarray(0, 5)],
  ])(
    'answers a body that is not what Content-Encoding %s says with 400 invalid_content_encoding',
    async (encoding, body) => {
      const headers = { 'content-type': 'application/json', 'content-encoding': encoding };
      await expectProblem(await send('POST', '/api/events', headers, body), 400, 'invalid_content_encoding');
      await expectProblem(
        await send('POST', '/admin/organizations', headers, body),
        400,
        'invalid_content_encoding',
      );
    },
  );

  it.each(['zstd', 'compress', 'gzip, gzip', 'x-unknown'])(
    'answers Content-Encoding %s, which it does not accept, with 415 unsupported_media_type',
    async (encoding) => {
      const headers = { 'content-type': 'application/json', 'content-encoding': encoding };
      await expectProblem(
        await send('POST', '/api/events', headers, gzipSync(EVENT)),
        415,
        'unsupported_media_type',
      );
    },
  );

  it.each([
    ['identity', Buffer.from(EVENT)],
    ['gzip', gzipSync(EVENT)],
    ['deflate', deflateSync(EVENT)],
    ['br', brotliCompressSync(EVENT)],
  ])('accepts a body in Content-Encoding %s', async (encoding, body) => {
    const res = await send(
      'POST',
      '/api/events',
      { 'content-type': 'application/json', 'content-encoding': encoding },
      body,
    );
    expect(res.status).toBe(202);
    await api.service.committer.drain();
    await api.db.sql`DELETE FROM event_queue`;
    await api.db.sql`DELETE FROM events`;
  });
});
