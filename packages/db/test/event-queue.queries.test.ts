// Risk: the ingest hot path stores payloads wrongly (as JSON strings) or stores a duplicate twice,
// or announces rows to the processors that it did not commit (or fails to announce those it did).
import { createTestDatabase, queueRow, type TestDatabase } from '@triggers/testing';
import {
  EVENT_QUEUE_CHANNEL,
  insertOrganization,
  insertQueuedEvents,
  countQueuedEvents,
  oldestQueuedAgeSeconds,
} from '../src/index.js';

describe('insertQueuedEvents', () => {
  let db: TestDatabase;
  let orgId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    orgId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
  });
  afterAll(() => db.drop());

  it('stores every row of a batch in one statement, payloads as jsonb objects', async () => {
    const rows = [
      queueRow(orgId, { payload: { nested: { list: [1, 'two', null] }, text: 'héllo "quoted"' } }),
      queueRow(orgId),
      queueRow(orgId),
    ];
    const inserted = await insertQueuedEvents(db.sql, rows);
    expect(inserted).toEqual(new Set(rows.map((r) => r.id)));
    const stored = await db.sql<{ payload: unknown; kind: string }[]>`
      SELECT payload, jsonb_typeof(payload) AS kind FROM event_queue WHERE id = ${rows[0]!.id}`;
    expect(stored[0]).toEqual({ payload: rows[0]!.payload, kind: 'object' });
  });

  it('skips an id already queued, within one batch and across batches', async () => {
    const first = queueRow(orgId, { dedupId: 'd-1' });
    const twin = { ...first };
    const inserted = await insertQueuedEvents(db.sql, [first, twin]);
    expect(inserted).toEqual(new Set([first.id]));
    expect(await insertQueuedEvents(db.sql, [first])).toEqual(new Set());
  });

  it('skips a deduplicated event that was already moved to events', async () => {
    const moved = queueRow(orgId, { dedupId: 'd-2' });
    await db.sql`INSERT INTO events (id, organization_id, type, payload, dedup_id, occurred_at, received_at)
                 VALUES (${moved.id}, ${orgId}, 'order.created', ${db.sql.json({})}, 'd-2', now(), now())`;
    expect(await insertQueuedEvents(db.sql, [moved])).toEqual(new Set());
  });

  it('notifies the processors in the same commit when asked to, and only when it inserted rows', async () => {
    const heard: string[] = [];
    const { unlisten } = await db.sql.listen(EVENT_QUEUE_CHANNEL, (payload) => heard.push(payload));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
    try {
      const duplicate = queueRow(orgId, { dedupId: 'd-3' });
      await insertQueuedEvents(db.sql, [duplicate]);
      await settle();
      expect(heard).toHaveLength(0); // not asked

      await insertQueuedEvents(db.sql, [duplicate], { notify: true });
      await settle();
      expect(heard).toHaveLength(0); // asked, but nothing was inserted

      await insertQueuedEvents(db.sql, [queueRow(orgId), duplicate], { notify: true });
      await settle();
      expect(heard).toHaveLength(1);
    } finally {
      await unlisten();
    }
  });

  it('reports queue depth and the age of the event first in line', async () => {
    await db.sql`DELETE FROM event_queue`;
    expect(await oldestQueuedAgeSeconds(db.sql)).toBe(0);
    const old = new Date(Date.now() - 60_000);
    await insertQueuedEvents(db.sql, [queueRow(orgId, { receivedAt: old, occurredAt: old })]);
    await insertQueuedEvents(db.sql, [queueRow(orgId), queueRow(orgId)]);
    expect(await countQueuedEvents(db.sql)).toBe(3);
    expect(await oldestQueuedAgeSeconds(db.sql)).toBeGreaterThanOrEqual(59);
  });
});
