// Risk: the OpenAPI document clients build against does not describe what the API really answers.
import { validate } from '@readme/openapi-parser';
import type { Express } from 'express';
import { openApiDocument } from '../src/openapi/openapi.js';
import { ADMIN_TOKEN, anEvent, startTestApi, type TestApi } from './test-api.js';
import {
  call,
  createEndpoint,
  deliveriesOf,
  processQueue,
  sendStoredEvents,
  setDeliveryState,
} from './fixtures.js';
import { openApiChecker, openApiMismatches, type Exchange } from './openapi-check.js';

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route the express app serves. */
function appRoutes(app: Express): string[] {
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        const path = `${prefix}${layer.route.path}`.replace(/:(\w+)/g, '{$1}');
        return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${path}`);
      }
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return layer.handle.stack ? walk(layer.handle.stack, `${prefix}${mount}`) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}

function documentedOperations(): string[] {
  return Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(
      JSON.parse(JSON.stringify(openApiDocument)) as Parameters<typeof validate>[0],
    );
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('has examples that match their own schemas', async () => {
    expect((await openApiChecker()).exampleMismatches()).toEqual([]);
  });

  it('finds fault with responses that do not conform (the check is not vacuous)', async () => {
    const bad: Exchange[] = [
      {
        method: 'GET',
        path: '/api/inbox',
        status: 200,
        contentType: 'application/json',
        body: '{"data":[]}',
      },
      { method: 'GET', path: '/api/inbox', status: 418, contentType: 'application/json', body: '{}' },
      { method: 'GET', path: '/api/events/x', status: 404, contentType: 'text/html', body: '<p>' },
      { method: 'DELETE', path: '/api/endpoints/x', status: 204, contentType: undefined, body: 'x' },
      {
        method: 'GET',
        path: '/api/endpoints/x',
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ id: 'x', secret: 'whsec_leak' }),
      },
    ];
    expect(await openApiMismatches(bad)).toHaveLength(bad.length);
  });
});

describe('every route, walked against the OpenAPI document', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  it('documents exactly the routes the app serves', () => {
    expect(appRoutes(api.service.app).sort()).toEqual(documentedOperations().sort());
  });

  it('answers every documented operation successfully', async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    const created = (await (await admin('POST', '/admin/organizations', { name: 'tour' })).json()) as {
      id: string;
    };
    await admin('GET', `/admin/organizations/${created.id}`);
    await admin('PATCH', `/admin/organizations/${created.id}`, { rate_limit_per_second: 50 });
    const key = (await (
      await admin('POST', `/admin/organizations/${created.id}/api-keys`, { name: 'k' })
    ).json()) as {
      id: string;
    };
    await admin('GET', `/admin/organizations/${created.id}/api-keys`);
    await admin('POST', `/admin/api-keys/${key.id}/revoke`);
    for (const path of ['/healthz', '/readyz', '/openapi.json']) await fetch(`${api.url}${path}`);

    await call(api, 'POST', '/api/event-types', org.key, { name: 'tour.done', schema: { type: 'object' } });
    await call(api, 'GET', '/api/event-types', org.key);
    await call(api, 'GET', '/api/event-types/tour.done', org.key);
    await call(api, 'PATCH', '/api/event-types/tour.done', org.key, { description: 'd' });

    const endpoint = await createEndpoint(api, org.key, { event_types: ['tour.*'] });
    await call(api, 'GET', '/api/endpoints', org.key);
    await call(api, 'GET', `/api/endpoints/${endpoint.id}`, org.key);
    await call(api, 'PATCH', `/api/endpoints/${endpoint.id}`, org.key, { description: 'd' });
    await call(api, 'POST', `/api/endpoints/${endpoint.id}/rotate-secret`, org.key);
    await call(api, 'GET', `/api/endpoints/${endpoint.id}/stats`, org.key);
    await call(api, 'POST', `/api/endpoints/${endpoint.id}/test`, org.key);

    const sent = await call<{ id: string }>(
      api,
      'POST',
      '/api/events',
      org.key,
      anEvent({ type: 'tour.done', dedup_id: 't1' }),
    );
    await call(api, 'POST', '/api/events', org.key, anEvent({ type: 'tour.done', dedup_id: 't1' }));
    await call(api, 'POST', '/api/events/batch', org.key, { events: [anEvent({ type: 'tour.done' })] });
    await call(api, 'POST', '/api/events/batch', org.key, { events: [anEvent(), { type: 'x y' }] });
    await call(api, 'GET', `/api/events/${sent.body.id}`, org.key);
    await processQueue(api);
    const [eventId] = await sendStoredEvents(api, org.key, [{ type: 'tour.done' }]);
    const deliveryId = (await deliveriesOf(api, eventId!)).get(endpoint.id)!;
    await setDeliveryState(api, deliveryId, 'dead', [{ statusCode: 500 }]);
    await call(api, 'GET', `/api/events/${eventId}`, org.key);
    await call(api, 'GET', '/api/events?limit=1', org.key);
    await call(api, 'GET', '/api/inbox?limit=1', org.key);
    await call(api, 'POST', '/api/inbox/ack', org.key, { ids: [sent.body.id] });
    await call(api, 'DELETE', `/api/events/${eventId}`, org.key);
    await call(api, 'GET', '/api/deliveries?status=dead', org.key);
    await call(api, 'GET', `/api/deliveries/${deliveryId}`, org.key);
    await call(api, 'POST', '/api/deliveries/replay', org.key, { dry_run: true });
    await call(api, 'POST', `/api/deliveries/${deliveryId}/replay`, org.key);
    await call(api, 'DELETE', '/api/event-types/tour.done', org.key);
    await call(api, 'DELETE', `/api/endpoints/${endpoint.id}`, org.key);

    const checker = await openApiChecker();
    const succeeded = new Set(
      api.exchanges.filter((e) => e.status < 300).map((e) => checker.operationOf(e)?.replace(/ \d+$/, '')),
    );
    expect(documentedOperations().filter((op) => !succeeded.has(op))).toEqual([]);
  });

  it('answers the documented problems too (a sample of each kind)', async () => {
    await call(api, 'GET', '/api/inbox?limit=0', org.key);
    await call(api, 'GET', '/api/events/00000000-0000-4000-8000-000000000000', org.key);
    await call(api, 'POST', '/api/event-types', org.key, { name: 'x.y', schema: { type: 7 } });
    await call(api, 'POST', '/api/endpoints', org.key, { url: 'gopher://x' });
    await fetch(`${api.url}/api/inbox`);
    await fetch(`${api.url}/api/inbox/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}` },
      body: 'x',
    });
    await call(api, 'GET', '/api/nothing-here', org.key);
    for (let i = 0; i < 2; i++) await call(api, 'POST', '/api/event-types', org.key, { name: 'dup.type' });
    const statuses = new Set(api.exchanges.map((e) => e.status));
    expect([...statuses].filter((s) => s >= 400).sort()).toEqual(
      expect.arrayContaining([400, 401, 404, 409, 415, 422]),
    );
  });

  it('finds every response of this file conforming', async () => {
    expect(await openApiMismatches(api.exchanges)).toEqual([]);
  });
});
