// Risk: a pulling consumer misses or repeats events, or acknowledges another organization's events.
import { randomUUID } from 'node:crypto';
import { processQueuedBatch, type Sql } from '@triggers/db';
import { anEvent, startTestApi, type TestApi } from './test-api.js';
import { call, processQueue, sendStoredEvents, waitFor } from './fixtures.js';

interface InboxPage {
  data: { id: string; type: string }[];
  next_cursor: string | null;
  has_more: boolean;
}
interface AckResult {
  acknowledged: number;
  unchanged: number;
  queued: string[];
  not_found: string[];
}

describe('GET /api/inbox', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  const inbox = (query = '', key = org.key) => call<InboxPage>(api, 'GET', `/api/inbox?${query}`, key);

  it('returns unacknowledged events oldest first, filtered by type, and keeps the cursor on the last page', async () => {
    const ids = await sendStoredEvents(api, org.key, [
      { type: 'order.created' },
      { type: 'order.paid' },
      { type: 'user.created' },
    ]);
    let page = await inbox('limit=2');
    await waitFor(async () => (page = await inbox('limit=2')).body.data.length === 2);
    expect(page.body.data.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(page.body.has_more).toBe(true);
    const last = await inbox(`limit=2&cursor=${page.body.next_cursor}`);
    expect(last.body).toMatchObject({ data: [{ id: ids[2] }], has_more: false });
    expect(last.body.next_cursor).not.toBeNull();
    // Polling with the last cursor returns only what is stored later.
    const [later] = await sendStoredEvents(api, org.key, [{ type: 'order.refunded' }]);
    await waitFor(async () => (await inbox(`cursor=${last.body.next_cursor}`)).body.data.length === 1);
    expect((await inbox(`cursor=${last.body.next_cursor}`)).body.data.map((e) => e.id)).toEqual([later]);
    expect((await inbox('type=order.*')).body.data.map((e) => e.type)).toEqual([
      'order.created',
      'order.paid',
      'order.refunded',
    ]);
    expect((await inbox('type=user.created')).body.data.map((e) => e.id)).toEqual([ids[2]]);
  });

  it.each([
    ['limit=0', 'limit must be >= 1'],
    ['limit=1001', 'limit must be <= 1000'],
    ['limit=ten', 'limit must be integer'],
    // ajv coerces these to ±Infinity and lets them past integer, minimum and maximum (found by the
    // long property run: Postgres then refused LIMIT Infinity with a 500).
    ['limit=1e309', 'limit is a number too large to represent'],
    ['limit=-Infinity', 'limit is a number too large to represent'],
    ['cursor=bm90LWEtY3Vyc29y', 'The cursor is not valid for this listing.'],
    ['offset=10', 'query unknown parameter'],
  ])('answers 400 invalid_query for %s', async (query, detail) => {
    const res = await inbox(query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_query', detail: expect.stringContaining(detail) });
  });

  it('accepts limit 1 and limit 1000', async () => {
    expect((await inbox('limit=1')).body.data).toHaveLength(1);
    expect((await inbox('limit=1000')).status).toBe(200);
  });

  it('refuses a cursor of another listing', async () => {
    const events = await call<{ next_cursor: string }>(api, 'GET', '/api/events?limit=1', org.key);
    expect((await inbox(`cursor=${events.body.next_cursor}`)).status).toBe(400);
  });
});

describe('inbox pagination under concurrent inserts', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_SECOND: '100000' });
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  async function readAll(cursor: string | null, limit: number) {
    const res = await call<InboxPage>(
      api,
      'GET',
      `/api/inbox?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      org.key,
    );
    return res.body;
  }

  it('holds back events stored after an earlier transaction that has not committed yet, so none is skipped', async () => {
    const sql = api.db.sql;
    const insert = (tx: typeof sql, id: string, receivedAt: Date) => tx`
      INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at)
      VALUES (${id}, ${org.id}, 'race.test', '{}', ${receivedAt}, ${receivedAt})`;
    const [early, late] = [randomUUID(), randomUUID()];
    let commitEarly: () => void = () => {};
    const gate = new Promise<void>((r) => (commitEarly = r));
    let started: () => void = () => {};
    const inserted = new Promise<void>((r) => (started = r));
    // The early event is received first but its transaction commits last.
    const slow = sql.begin(async (tx) => {
      await insert(tx as unknown as typeof sql, early, new Date(Date.now() - 1000));
      started();
      await gate;
    });
    await inserted;
    await insert(sql, late, new Date());

    const first = await readAll(null, 10);
    expect(first.data.map((e) => e.id)).not.toContain(late);
    commitEarly();
    await slow;
    const seen = [...first.data.map((e) => e.id)];
    let cursor = first.next_cursor;
    await waitFor(async () => {
      const page = await readAll(cursor, 10);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
      return seen.includes(late);
    });
    expect(seen.filter((id) => id === early || id === late)).toEqual([early, late]);
  });

  it('lets a reader following the cursor see every event exactly once while events are sent and stored concurrently', async () => {
    const total = 600;
    const sent: string[] = [];
    let sending = true;
    const senders = Array.from({ length: 3 }, async (_, s) => {
      for (let b = 0; b < total / 3 / 20; b++) {
        const res = await call<{ results: { id: string }[] }>(api, 'POST', '/api/events/batch', org.key, {
          events: Array.from({ length: 20 }, (_, i) => anEvent({ type: 'flood.test', payload: { s, b, i } })),
        });
        sent.push(...res.body.results.map((r) => r.id));
      }
    });
    // Three processors storing small batches concurrently, as several processor instances would,
    // each holding its transaction open a little: commits land out of claim (and received_at) order.
    const processBatch = () =>
      api.db.sql.begin(async (tx) => {
        const batch = await processQueuedBatch(tx as unknown as Sql, 13);
        await new Promise((r) => setTimeout(r, Math.random() * 15));
        return batch.claimed;
      });
    const processors = Array.from({ length: 3 }, async () => {
      while (sending || (await processBatch()) > 0) await processBatch();
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    const reader = (async () => {
      const deadline = Date.now() + 30_000;
      while (seen.length < total && Date.now() < deadline) {
        // Large pages keep the reader at the head of the inbox, where a late commit would be skipped.
        const page: InboxPage = await readAll(cursor, seen.length % 2 === 0 ? 1000 : 7);
        seen.push(...page.data.filter((e) => e.type === 'flood.test').map((e) => e.id));
        cursor = page.next_cursor;
      }
    })();
    await Promise.all(senders);
    sending = false;
    await Promise.all([...processors, reader]);
    expect(sent).toHaveLength(total);
    expect(seen).toHaveLength(total);
    expect(new Set(seen)).toEqual(new Set(sent));
  }, 30_000);
});

describe('POST /api/inbox/ack and DELETE /api/events/:id', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  let other: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrganization();
    other = await api.createOrganization();
  });
  afterAll(() => api.close());

  const ack = (ids: string[], key = org.key) => call<AckResult>(api, 'POST', '/api/inbox/ack', key, { ids });
  const inboxIds = async () =>
    (await call<InboxPage>(api, 'GET', '/api/inbox?limit=1000', org.key)).body.data.map((e) => e.id);

  it('acknowledges idempotently, reporting how many changed', async () => {
    const ids = await sendStoredEvents(api, org.key, [{ type: 'a.b' }, { type: 'a.b' }, { type: 'a.b' }]);
    await waitFor(async () => (await inboxIds()).length >= 3);
    expect((await ack(ids.slice(0, 2))).body).toEqual({
      acknowledged: 2,
      unchanged: 0,
      queued: [],
      not_found: [],
    });
    expect((await ack(ids)).body).toEqual({ acknowledged: 1, unchanged: 2, queued: [], not_found: [] });
    expect((await ack(ids)).body).toEqual({ acknowledged: 0, unchanged: 3, queued: [], not_found: [] });
    expect(await inboxIds()).not.toEqual(expect.arrayContaining([ids[0]]));
    // Concurrent acks of the same ids change each event once.
    const fresh = await sendStoredEvents(api, org.key, [{ type: 'a.b' }, { type: 'a.b' }]);
    const results = await Promise.all([ack(fresh), ack(fresh), ack(fresh)]);
    expect(results.reduce((n, r) => n + r.body.acknowledged, 0)).toBe(2);
  });

  it('ignores and reports ids that are not the caller’s, leaving them unacknowledged', async () => {
    const [theirs] = await sendStoredEvents(api, other.key, [{ type: 'x.y' }]);
    const [mine] = await sendStoredEvents(api, org.key, [{ type: 'x.y' }]);
    const unknown = randomUUID();
    const res = await ack([mine!, theirs!, unknown, mine!.toUpperCase()]);
    expect(res.body).toEqual({ acknowledged: 1, unchanged: 0, queued: [], not_found: [theirs, unknown] });
    const [row] = await api.db.sql<{ acknowledged_at: Date | null }[]>`
      SELECT acknowledged_at FROM events WHERE id = ${theirs!}`;
    expect(row!.acknowledged_at).toBeNull();
  });

  it('reports still-queued ids without acknowledging them', async () => {
    const sent = await call<{ id: string }>(api, 'POST', '/api/events', org.key, anEvent());
    expect((await ack([sent.body.id])).body).toMatchObject({ acknowledged: 0, queued: [sent.body.id] });
    const deleted = await call(api, 'DELETE', `/api/events/${sent.body.id}`, org.key);
    expect(deleted.status).toBe(409);
    expect(deleted.body).toMatchObject({ code: 'event_queued' });
    await processQueue(api);
  });

  it('refuses more than 1,000 ids, an empty list and ids that are not UUIDs with 422', async () => {
    const many = Array.from({ length: 1001 }, () => randomUUID());
    for (const ids of [many, [], ['urn:uuid:6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f'], ['x']]) {
      const res = await ack(ids as string[]);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation_failed' });
    }
    expect((await ack(many.slice(0, 1000))).body).toMatchObject({
      acknowledged: 0,
      not_found: many.slice(0, 1000),
    });
  });

  it('hides an event with DELETE /api/events/:id; it stays queryable, acknowledged', async () => {
    const [id] = await sendStoredEvents(api, org.key, [{ type: 'del.me' }]);
    await waitFor(async () => (await inboxIds()).includes(id!));
    expect((await call(api, 'DELETE', `/api/events/${id}`, org.key)).status).toBe(204);
    expect((await call(api, 'DELETE', `/api/events/${id}`, org.key)).status).toBe(204);
    expect(await inboxIds()).not.toContain(id);
    const event = await call<{ acknowledged_at: string | null }>(api, 'GET', `/api/events/${id}`, org.key);
    expect(event.status).toBe(200);
    expect(event.body.acknowledged_at).not.toBeNull();
    const [theirs] = await sendStoredEvents(api, other.key, [{ type: 'del.me' }]);
    expect((await call(api, 'DELETE', `/api/events/${theirs}`, org.key)).status).toBe(404);
  });
});
