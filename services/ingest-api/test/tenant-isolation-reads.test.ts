// Risk: one organization's key reads, changes or learns of another organization's events, endpoints, types or deliveries.
import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from './test-api.js';
import { call, createEndpoint, deliveriesOf, sendStoredEvents, setDeliveryState } from './fixtures.js';

describe('tenant isolation of the consumer API', () => {
  let api: TestApi;
  let owner: { id: string; key: string };
  let intruder: { id: string; key: string };
  let endpoint: { id: string; secret: string };
  let eventId: string;
  let deliveryId: string;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    owner = await api.createOrganization();
    intruder = await api.createOrganization();
    endpoint = await createEndpoint(api, owner.key, { event_types: ['secret.*'] });
    await call(api, 'POST', '/api/event-types', owner.key, {
      name: 'secret.thing',
      schema: { type: 'object' },
    });
    [eventId] = (await sendStoredEvents(api, owner.key, [{ type: 'secret.thing', payload: { s: 1 } }])) as [
      string,
    ];
    deliveryId = (await deliveriesOf(api, eventId)).get(endpoint.id)!;
    await setDeliveryState(api, deliveryId, 'dead', [{ statusCode: 500 }]);
    // Everything the owner has, as stored: no intruder request may change any of it.
    snapshot = async () => ({
      endpoints: await api.db.sql`SELECT * FROM endpoints WHERE organization_id = ${owner.id}`,
      types: await api.db.sql`SELECT * FROM event_types WHERE organization_id = ${owner.id}`,
      events: await api.db.sql`SELECT id, acknowledged_at FROM events WHERE organization_id = ${owner.id}`,
      deliveries: await api.db.sql`SELECT * FROM deliveries WHERE organization_id = ${owner.id}`,
    });
  });
  afterAll(() => api.close());

  // [method, path pattern, path, body]: resolved lazily, once beforeAll has made the owner's data.
  const routes: [string, string, () => string, (() => unknown) | undefined][] = [
    ['GET', '/api/events/:id', () => `/api/events/${eventId}`, undefined],
    ['DELETE', '/api/events/:id', () => `/api/events/${eventId}`, undefined],
    ['GET', '/api/endpoints/:id', () => `/api/endpoints/${endpoint.id}`, undefined],
    ['PATCH', '/api/endpoints/:id', () => `/api/endpoints/${endpoint.id}`, () => ({ enabled: false })],
    ['DELETE', '/api/endpoints/:id', () => `/api/endpoints/${endpoint.id}`, undefined],
    [
      'POST',
      '/api/endpoints/:id/rotate-secret',
      () => `/api/endpoints/${endpoint.id}/rotate-secret`,
      undefined,
    ],
    ['GET', '/api/endpoints/:id/stats', () => `/api/endpoints/${endpoint.id}/stats`, undefined],
    ['POST', '/api/endpoints/:id/test', () => `/api/endpoints/${endpoint.id}/test`, undefined],
    ['GET', '/api/event-types/:name', () => '/api/event-types/secret.thing', undefined],
    ['PATCH', '/api/event-types/:name', () => '/api/event-types/secret.thing', () => ({ schema: null })],
    ['DELETE', '/api/event-types/:name', () => '/api/event-types/secret.thing', undefined],
    ['GET', '/api/deliveries/:id', () => `/api/deliveries/${deliveryId}`, undefined],
    ['POST', '/api/deliveries/:id/replay', () => `/api/deliveries/${deliveryId}/replay`, undefined],
    ['GET', '/api/deliveries?endpoint_id=', () => `/api/deliveries?endpoint_id=${endpoint.id}`, undefined],
    [
      'POST',
      '/api/deliveries/replay {endpoint_id}',
      () => '/api/deliveries/replay',
      () => ({ endpoint_id: endpoint.id }),
    ],
  ];

  it.each(routes)(
    '%s %s with another organization’s id answers 404 like an unknown id, changing nothing',
    async (method, _pattern, path, body) => {
      const before = await snapshot();
      const res = await call(api, method, path(), intruder.key, body?.());
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found' });
      // The same answer as for an id that exists nowhere: nothing tells the two apart.
      const unknownPath = path()
        .replace(eventId, randomUUID())
        .replace(endpoint.id, randomUUID())
        .replace(deliveryId, randomUUID())
        .replace('secret.thing', 'no.such.type');
      const given = body?.() as Record<string, unknown> | undefined;
      const unknownBody = given && 'endpoint_id' in given ? { ...given, endpoint_id: randomUUID() } : given;
      const unknown = await call(api, method, unknownPath, intruder.key, unknownBody);
      expect([unknown.status, (unknown.body as { detail: string }).detail]).toEqual([
        404,
        (res.body as { detail: string }).detail,
      ]);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('ignores another organization’s ids in an acknowledgement, reporting them as not found', async () => {
    const before = await snapshot();
    const res = await call(api, 'POST', '/api/inbox/ack', intruder.key, { ids: [eventId] });
    expect(res.body).toEqual({ acknowledged: 0, unchanged: 0, queued: [], not_found: [eventId] });
    expect(await snapshot()).toEqual(before);
  });

  it('shows none of another organization’s data in any listing or filter', async () => {
    for (const path of [
      '/api/events?limit=1000',
      '/api/events?type=secret.*',
      '/api/inbox?limit=1000',
      '/api/endpoints',
      '/api/event-types',
      '/api/deliveries',
      '/api/deliveries?status=dead',
      `/api/deliveries?event_id=${eventId}`,
    ]) {
      const res = await call<{ data: unknown[] }>(api, 'GET', path, intruder.key);
      expect([path, res.status, res.body.data]).toEqual([path, 200, []]);
    }
    const dry = await call(api, 'POST', '/api/deliveries/replay', intruder.key, { dry_run: true });
    expect(dry.body).toMatchObject({ dry_run: true, count: 0 });
  });

  it('still shows the owner everything', async () => {
    expect((await call(api, 'GET', `/api/events/${eventId}`, owner.key)).status).toBe(200);
    expect((await call(api, 'GET', `/api/deliveries/${deliveryId}`, owner.key)).status).toBe(200);
    expect((await call(api, 'GET', '/api/event-types/secret.thing', owner.key)).status).toBe(200);
    expect((await call(api, 'GET', `/api/endpoints/${endpoint.id}/stats`, owner.key)).status).toBe(200);
  });
});
