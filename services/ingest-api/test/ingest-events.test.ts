// Risk: an accepted event is not stored, is stored twice, or is stored in a form consumers cannot read.
import { anEvent, metricValue, post, startTestApi, type TestApi } from './test-api.js';

describe('POST /api/events', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  async function queued(id: string) {
    return api.db.sql<
      { organization_id: string; type: string; payload: unknown; dedup_id: string | null; kind: string }[]
    >`
      SELECT organization_id, type, payload, dedup_id, jsonb_typeof(payload) AS kind FROM event_queue WHERE id = ${id}`;
  }

  it('answers 202 with the id, a Location and received_at, once the row is in the queue', async () => {
    const res = await post(
      api,
      '/api/events',
      org.key,
      anEvent({ payload: { order_id: 'ord_9', lines: [{ sku: 'a' }] } }),
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; received_at: string };
    expect(body.status).toBe('accepted');
    expect(res.headers.get('location')).toBe(`/api/events/${body.id}`);
    expect(Date.parse(body.received_at)).not.toBeNaN();
    expect(await queued(body.id)).toEqual([
      {
        organization_id: org.id,
        type: 'order.created',
        payload: { order_id: 'ord_9', lines: [{ sku: 'a' }] },
        dedup_id: null,
        kind: 'object',
      },
    ]);
  });

  it('accepts the key in X-API-Key too', async () => {
    const res = await post(api, '/api/events', undefined, anEvent(), { 'x-api-key': org.key });
    expect(res.status).toBe(202);
  });

  it('keeps occurred_at when given', async () => {
    const res = await post(api, '/api/events', org.key, anEvent({ occurred_at: '2026-01-02T03:04:05.678Z' }));
    const { id } = (await res.json()) as { id: string };
    const [row] = await api.db.sql<
      { occurred_at: Date }[]
    >`SELECT occurred_at FROM event_queue WHERE id = ${id}`;
    expect(row!.occurred_at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });

  it('answers a retried POST with the same dedup_id 200, the original id and duplicate: true, storing one row', async () => {
    const first = await post(api, '/api/events', org.key, anEvent({ dedup_id: 'order-42' }));
    const second = await post(
      api,
      '/api/events',
      org.key,
      anEvent({ dedup_id: 'order-42', payload: { changed: true } }),
    );
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    const a = (await first.json()) as { id: string };
    const b = (await second.json()) as { id: string; duplicate: boolean };
    expect(b).toMatchObject({ id: a.id, duplicate: true });
    const rows = await api.db.sql`SELECT 1 FROM event_queue WHERE dedup_id = 'order-42'`;
    expect(rows).toHaveLength(1);
  });

  it('collapses concurrent POSTs of one dedup_id to one row, exactly one of them answered 202', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post(api, '/api/events', org.key, anEvent({ dedup_id: 'race-1' }))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(
      await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
    expect(await api.db.sql`SELECT 1 FROM event_queue WHERE dedup_id = 'race-1'`).toHaveLength(1);
  });

  it('recognises a duplicate of an event the processor already moved out of the queue', async () => {
    const res = await post(api, '/api/events', org.key, anEvent({ dedup_id: 'moved-1' }));
    const { id } = (await res.json()) as { id: string };
    await api.db.sql`
      WITH moved AS (DELETE FROM event_queue WHERE id = ${id} RETURNING *)
      INSERT INTO events (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
      SELECT id, organization_id, type, payload, dedup_id, occurred_at, received_at FROM moved`;
    const again = await post(api, '/api/events', org.key, anEvent({ dedup_id: 'moved-1' }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, duplicate: true });
    expect(await api.db.sql`SELECT 1 FROM event_queue WHERE id = ${id}`).toHaveLength(0);
  });

  it('shares INSERTs between concurrent requests (group commit)', async () => {
    const before = await metricValue(api, 'triggers_group_commit_batch_rows_count');
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(api, '/api/events', org.key, anEvent({ payload: { i } }))),
    );
    expect(responses.every((r) => r.status === 202)).toBe(true);
    const after = await metricValue(api, 'triggers_group_commit_batch_rows_count');
    expect(after - before).toBeLessThan(100);
  });
});

describe('POST /api/events/batch', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  it('stores every valid event in one statement and answers 202 with a result per item', async () => {
    const countOf = () => metricValue(api, 'triggers_group_commit_batch_rows_count');
    const before = await countOf();
    const events = Array.from({ length: 500 }, (_, i) => anEvent({ payload: { i } }));
    const res = await post(api, '/api/events/batch', org.key, { events });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      accepted: number;
      results: { index: number; status: string; id: string }[];
    };
    expect(body.accepted).toBe(500);
    expect(body.results.map((r) => r.index)).toEqual(events.map((_, i) => i));
    expect(await countOf()).toBe(before + 1);
    const ids = body.results.map((r) => r.id);
    const stored = await api.db.sql`SELECT 1 FROM event_queue WHERE id = ANY(${ids}::uuid[])`;
    expect(stored).toHaveLength(500);
  });

  it('answers 207 when some items are invalid, storing only the valid ones', async () => {
    const res = await post(api, '/api/events/batch', org.key, {
      events: [
        anEvent({ dedup_id: 'b-1' }),
        { type: 'bad type', payload: {} },
        anEvent({ dedup_id: 'b-1' }),
        anEvent({ payload: 'nope' }),
      ],
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as {
      accepted: number;
      duplicates: number;
      rejected: number;
      results: Record<string, unknown>[];
    };
    expect(body).toMatchObject({ accepted: 1, duplicates: 1, rejected: 2 });
    expect(body.results[1]).toMatchObject({
      index: 1,
      status: 'rejected',
      errors: [{ pointer: '/events/1/type' }],
    });
    expect(body.results[2]).toMatchObject({
      index: 2,
      status: 'accepted',
      duplicate: true,
      id: body.results[0]!.id,
    });
    expect(body.results[3]).toMatchObject({
      status: 'rejected',
      errors: [{ pointer: '/events/3/payload', message: 'must be object' }],
    });
    expect(await api.db.sql`SELECT 1 FROM event_queue WHERE dedup_id = 'b-1'`).toHaveLength(1);
  });

  it('refuses more than 1,000 events with 422 and stores nothing', async () => {
    const res = await post(api, '/api/events/batch', org.key, {
      events: Array.from({ length: 1001 }, () => anEvent({ payload: {} })),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ pointer: '/events', message: 'must NOT have more than 1000 items' }],
    });
  });
});
