// Risk: credentials or signing secrets leak (logs, responses), responses lack security headers, or
// slow and oversized clients hold the server.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '@triggers/runtime';
import {
  createTestDatabase,
  deleteRedisKeys,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from '@triggers/testing';
import { closeDeliveryQueue } from '@triggers/delivery-queue';
import { loadConfig } from '../src/config.js';
import { createHttpServer } from '../src/http-server.js';
import { buildIngestService, type IngestService } from '../src/ingest-service.js';

const ADMIN_TOKEN = 'security-admin-token-0123456789';

describe('security', () => {
  const redisKeyPrefix = uniqueRedisPrefix();
  let db: TestDatabase;
  let service: IngestService;
  let server: Server;
  let url: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    // The most verbose level: whatever any code path logs is scanned.
    const log = createLogger({ service: 'ingest-api', level: 'trace', destination });
    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: redisKeyPrefix,
      ADMIN_TOKEN,
      API_KEY_CACHE_TTL_MS: '0',
      ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
    });
    service = buildIngestService(config, log);
    server = createHttpServer(service.app, {
      requestTimeoutMs: 1500,
      headersTimeoutMs: 1000,
      maxHeaderBytes: 8 * 1024,
      checkIntervalMs: 250,
      keepAliveTimeoutMs: 5000,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await service.committer.drain();
    await closeDeliveryQueue(service.deliveryQueue, service.deliveryQueueRedis);
    service.redis.disconnect();
    await deleteRedisKeys(testRedisUrl(), redisKeyPrefix);
    await service.database.close();
    await db.drop();
  });

  const call = (
    method: string,
    path: string,
    auth: string | undefined,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('never writes API keys, the admin token or endpoint secrets to the logs, and returns secrets only on create and rotate', async () => {
    const org = (await (
      await call('POST', '/admin/organizations', ADMIN_TOKEN, { name: 'acme' })
    ).json()) as { id: string };
    const created = (await (
      await call('POST', `/admin/organizations/${org.id}/api-keys`, ADMIN_TOKEN, {})
    ).json()) as { id: string; key: string };
    const key = created.key;
    expect((await call('POST', '/api/events', key, { type: 'a.b', payload: { n: 1 } })).status).toBe(202);
    expect(
      (await call('POST', '/api/events', undefined, { type: 'a.b', payload: {} }, { 'x-api-key': key }))
        .status,
    ).toBe(202);

    const endpoint = (await (
      await call('POST', '/api/endpoints', key, { url: 'http://127.0.0.1:9/hook' })
    ).json()) as { id: string; secret: string };
    expect(endpoint.secret).toMatch(/^whsec_/);
    const fetched = await (await call('GET', `/api/endpoints/${endpoint.id}`, key)).text();
    const listed = await (await call('GET', '/api/endpoints', key)).text();
    expect(fetched).not.toContain(endpoint.secret);
    expect(listed).not.toContain(endpoint.secret);
    const rotated = (await (
      await call('POST', `/api/endpoints/${endpoint.id}/rotate-secret`, key)
    ).json()) as { secret: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(await (await call('GET', `/api/endpoints/${endpoint.id}`, key)).text()).not.toContain(
      rotated.secret,
    );

    // Failures that log: a revoked key, a wrong admin token, a malformed body.
    await call('POST', `/admin/api-keys/${created.id}/revoke`, ADMIN_TOKEN);
    expect((await call('POST', '/api/events', key, { type: 'a.b', payload: {} })).status).toBe(401);
    expect((await call('POST', '/admin/organizations', `${ADMIN_TOKEN}x`, { name: 'x' })).status).toBe(401);
    await fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{',
    });

    const logs = logLines.join('');
    for (const secret of [
      key,
      ADMIN_TOKEN,
      endpoint.secret,
      rotated.secret,
      endpoint.secret.slice(6),
      rotated.secret.slice(6),
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('sends security headers and no framework banner', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('refuses an oversized header section with 431', async () => {
    const res = await fetch(`${url}/healthz`, { headers: { 'x-padding': 'a'.repeat(20 * 1024) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('answers bytes that are not HTTP with a 400 problem+json and closes the connection', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        socket.write('NOT HTTP AT ALL\r\n\r\n');
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'bad_request' });
  });

  it.each(['http://[::1', 'http://x:99999/api/events', '//['])(
    'answers the request target %s, which is not a URL, with a 400 invalid_path problem',
    async (target) => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
          socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        });
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer.toLowerCase()).toContain('content-type: application/problem+json');
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        code: 'invalid_path',
      });
    },
  );

  it('cuts off a slow-loris client that never finishes its headers', async () => {
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        socket.write('POST /api/events HTTP/1.1\r\nHost: x\r\n');
        // A header byte every 200 ms: each write resets an idle timer, never the headers deadline.
        const drip = setInterval(() => socket.write('X-Slow: a\r\n'), 200);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(Date.now() - started);
        });
      });
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error('slow client was never cut off')), 10_000).unref();
    });
    expect(closedAfter).toBeLessThan(3000);
  }, 15_000);
});
