// Risk: an event's reported status or delivery history misleads its sender, or listings skip events.
import { anEvent, startTestApi, type TestApi } from './test-api.js';
import {
  call,
  createEndpoint,
  deliveriesOf,
  processQueue,
  sendStoredEvents,
  setDeliveryState,
} from './fixtures.js';

interface EventJson {
  id: string;
  type: string;
  status: string;
  persisted_at: string | null;
  deliveries: {
    id: string;
    endpoint_id: string;
    status: string;
    attempts: number;
    attempt_history: { attempt: number; status_code: number | null }[];
  }[];
}
interface Page {
  data: { id: string; type: string; status: string; received_at: string }[];
  next_cursor: string | null;
  has_more: boolean;
}

describe('GET /api/events/:id', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  it('reports an event still in the queue as queued, then accepted once stored with no endpoint', async () => {
    const sent = await call<{ id: string }>(api, 'POST', '/api/events', org.key, anEvent());
    const queued = await call<EventJson>(api, 'GET', `/api/events/${sent.body.id}`, org.key);
    expect(queued.status).toBe(200);
    expect(queued.body).toMatchObject({
      id: sent.body.id,
      status: 'queued',
      persisted_at: null,
      deliveries: [],
    });
    await processQueue(api);
    const stored = await call<EventJson>(api, 'GET', `/api/events/${sent.body.id}`, org.key);
    expect(stored.body).toMatchObject({ status: 'accepted', deliveries: [] });
    expect(stored.body.persisted_at).not.toBeNull();
  });

  it('derives the status from the deliveries: dead, else failed, else accepted while pending, else delivered', async () => {
    const a = await createEndpoint(api, org.key, { event_types: ['invoice.*'] });
    const b = await createEndpoint(api, org.key, { event_types: ['invoice.paid'] });
    const [eventId] = await sendStoredEvents(api, org.key, [{ type: 'invoice.paid', payload: { n: 1 } }]);
    const deliveries = await deliveriesOf(api, eventId!);
    const [da, db] = [deliveries.get(a.id)!, deliveries.get(b.id)!];
    const statusNow = async () =>
      (await call<EventJson>(api, 'GET', `/api/events/${eventId}`, org.key)).body.status;

    expect(await statusNow()).toBe('accepted');
    await setDeliveryState(api, da, 'delivered', [{ statusCode: 200 }]);
    expect(await statusNow()).toBe('accepted'); // b still pending
    await setDeliveryState(api, db, 'failed', [{ statusCode: 500 }]);
    expect(await statusNow()).toBe('failed');
    await setDeliveryState(api, db, 'dead', [{ statusCode: 500 }, { statusCode: null, error: 'ECONNRESET' }]);
    expect(await statusNow()).toBe('dead');
    await setDeliveryState(api, db, 'delivered', [{ statusCode: 200 }]);
    expect(await statusNow()).toBe('delivered');
  });

  it('lists each delivery with every attempt', async () => {
    const endpoint = await createEndpoint(api, org.key, { event_types: ['refund.created'] });
    const [eventId] = await sendStoredEvents(api, org.key, [{ type: 'refund.created' }]);
    const deliveryId = (await deliveriesOf(api, eventId!)).get(endpoint.id)!;
    await setDeliveryState(api, deliveryId, 'delivered', [{ statusCode: 503 }, { statusCode: 200 }]);
    const res = await call<EventJson>(api, 'GET', `/api/events/${eventId}`, org.key);
    expect(res.body.deliveries).toEqual([
      expect.objectContaining({
        id: deliveryId,
        endpoint_id: endpoint.id,
        status: 'delivered',
        attempts: 2,
        attempt_history: [
          expect.objectContaining({ attempt: 1, status_code: 503 }),
          expect.objectContaining({ attempt: 2, status_code: 200 }),
        ],
      }),
    ]);
  });

  it('answers 404 for an unknown id and for a non-UUID, as problem+json', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await call(api, 'GET', `/api/events/${id}`, org.key);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'not_found' });
    }
  });
});

describe('GET /api/events', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  let ids: string[];
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    org = await api.createOrganization();
    const endpoint = await createEndpoint(api, org.key, { event_types: ['order.shipped'] });
    ids = await sendStoredEvents(api, org.key, [
      { type: 'order.created' },
      { type: 'order.shipped' },
      { type: 'order.line.added' },
      { type: 'user.created' },
    ]);
    await setDeliveryState(api, (await deliveriesOf(api, ids[1]!)).get(endpoint.id)!, 'dead', [
      { statusCode: 500 },
    ]);
  });
  afterAll(() => api.close());

  const list = (query: string) => call<Page>(api, 'GET', `/api/events?${query}`, org.key);

  it('filters by exact type and by wildcard (any depth under the prefix)', async () => {
    expect((await list('type=order.created')).body.data.map((e) => e.type)).toEqual(['order.created']);
    const wildcard = (await list('type=order.*')).body.data.map((e) => e.type).sort();
    expect(wildcard).toEqual(['order.created', 'order.line.added', 'order.shipped']);
    expect((await list('type=*')).body.data).toHaveLength(4);
  });

  it('filters by status, including queued events', async () => {
    expect((await list('status=dead')).body.data.map((e) => e.id)).toEqual([ids[1]]);
    expect((await list('status=accepted')).body.data).toHaveLength(3);
    const sent = await call<{ id: string }>(
      api,
      'POST',
      '/api/events',
      org.key,
      anEvent({ type: 'late.one' }),
    );
    expect((await list('status=queued')).body.data.map((e) => e.id)).toEqual([sent.body.id]);
    expect((await list('type=late.one')).body.data.map((e) => e.status)).toEqual(['queued']);
    await processQueue(api);
  });

  it('filters by time range (from inclusive, to exclusive)', async () => {
    const all = (await list('limit=1000')).body.data;
    const oldest = all.at(-1)!;
    const to = encodeURIComponent(oldest.received_at);
    expect((await list(`to=${to}`)).body.data).toEqual([]);
    expect((await list(`from=${to}`)).body.data).toHaveLength(all.length);
    expect(
      (await list(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.data,
    ).toEqual([]);
  });

  it('pages newest first with a cursor, without skipping or repeating events received meanwhile', async () => {
    const more = await sendStoredEvents(
      api,
      org.key,
      Array.from({ length: 25 }, (_, i) => ({ type: 'page.test', payload: { i } })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof list>> = await list(
        `type=page.test&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((e) => e.id));
      cursor = res.body.next_cursor;
      expect(res.body.has_more).toBe(cursor !== null);
      // Newer events arriving during the walk land before the cursor: they never show up twice.
      if (pages++ === 1) await sendStoredEvents(api, org.key, [{ type: 'page.test' }]);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(more));
  });

  it('answers 400 invalid_query for a bad limit, status, time, cursor or an unknown parameter', async () => {
    for (const query of [
      'limit=0',
      'limit=1001',
      'limit=x',
      'status=lost',
      'from=yesterday',
      'cursor=abc',
      'page=2',
    ]) {
      const res = await list(query);
      expect([query, res.status, res.body]).toEqual([
        query,
        400,
        expect.objectContaining({ code: 'invalid_query' }),
      ]);
    }
  });
});
