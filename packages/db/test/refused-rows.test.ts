// Risk: one row Postgres refuses fails every other request or delivery that shared its statement,
// or the survivors are written one transaction each.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, queueRow, type TestDatabase } from '@triggers/testing';
import {
  insertOrganization,
  insertQueuedEventParams,
  loadDeliveriesToSend,
  recordAttempts,
  toQueuedEventParams,
  writeIsolatingRefusedRows,
  type AttemptRecord,
  type QueuedEventParams,
} from '../src/index.js';
import { insertEndpoint } from './fixtures.js';

describe('writeIsolatingRefusedRows', () => {
  let db: TestDatabase;
  let organizationId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
  });
  afterAll(() => db.drop());

  /** One request's rows: `count` good events, or one Postgres refuses (a NUL in its text). */
  const request = (count: number, refused = false): QueuedEventParams[] =>
    Array.from({ length: count }, () =>
      toQueuedEventParams(queueRow(organizationId, refused ? { type: 'order\u0000created' } : {})),
    );

  it('commits every group but the refused one, in one transaction, with O(log n) statements', async () => {
    const groups = Array.from({ length: 32 }, (_, g) => request(3, g === 21));
    const firstError = await insertQueuedEventParams(db.sql, groups.flat()).catch((err: unknown) => err);
    expect(firstError).toMatchObject({ code: '22021' });
    let statements = 0;
    const transactions = new Set<string>();
    const outcomes = await writeIsolatingRefusedRows(
      db.sql,
      groups,
      async (trx, rows) => {
        statements++;
        // The top-level transaction's id, also inside a savepoint.
        const [tx] = await trx<{ id: string }[]>`SELECT txid_current()::text AS id`;
        transactions.add(tx!.id);
        return insertQueuedEventParams(trx, rows);
      },
      firstError,
    );

    expect(outcomes.map((o) => o.status)).toEqual(
      groups.map((_, g) => (g === 21 ? 'rejected' : 'fulfilled')),
    );
    expect(outcomes[21]).toMatchObject({ reason: { code: '22021' } });
    expect(statements).toBeLessThanOrEqual(2 * Math.log2(32));
    const good = groups.filter((_, g) => g !== 21).flat();
    for (const [g, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled')
        for (const row of groups[g]!) expect(outcome.value.has(row.id)).toBe(true);
    }
    const stored = await db.sql<{ id: string }[]>`
      SELECT id FROM event_queue WHERE id = ANY(${groups.flat().map((r) => r.id)}::uuid[])`;
    expect(stored.map((r) => r.id).sort()).toEqual(good.map((r) => r.id).sort());
    // The survivors were committed together, not one transaction each.
    expect(transactions.size).toBe(1);
  });

  it('writes the parts in the order asked for, and gives each group its own outcome back in place', async () => {
    const seen: string[] = [];
    const groups = [['c'], ['a'], ['bad'], ['b']];
    const outcomes = await writeIsolatingRefusedRows(
      db.sql,
      groups,
      async (trx, rows) => {
        if (rows.includes('bad')) await trx`SELECT 1/0`; // 22012: a refusal
        seen.push(...rows);
        return rows.join(',');
      },
      Object.assign(new Error('first'), { code: '22021' }),
      { orderBy: (group) => group[0]! },
    );
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'c' });
  });

  it('rejects, writing nothing, when the failure is not a refusal', async () => {
    const groups = [request(1), request(1)];
    const down = Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
    await expect(
      writeIsolatingRefusedRows(
        db.sql,
        groups,
        async (trx, rows) => {
          await insertQueuedEventParams(trx, rows);
          throw down;
        },
        new Error('first'),
      ),
    ).rejects.toBe(down);
    const [row] = await db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM event_queue WHERE id = ANY(${groups.flat().map((r) => r.id)}::uuid[])`;
    expect(row!.n).toBe(0);
  });

  describe('for the deliverer’s batches', () => {
    let endpointId: string;
    beforeAll(async () => {
      endpointId = await insertEndpoint(db.sql, organizationId);
    });

    async function createDelivery(): Promise<string> {
      const [event] = await db.sql<{ id: string }[]>`
        INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at)
        VALUES (${randomUUID()}, ${organizationId}, 'order.created', '{}'::jsonb, now(), now()) RETURNING id`;
      const [delivery] = await db.sql<{ id: string }[]>`
        INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
        VALUES (${randomUUID()}, ${organizationId}, ${event!.id}, ${endpointId}) RETURNING id`;
      return delivery!.id;
    }

    it('records every attempt but the one Postgres refuses', async () => {
      const ids = [await createDelivery(), await createDelivery(), await createDelivery()];
      const records: AttemptRecord[] = ids.map((deliveryId, i) => ({
        deliveryId,
        organizationId,
        attempt: 1,
        replays: 0,
        statusCode: 200,
        durationMs: 5,
        errorKind: null,
        error: null,
        responseBody: i === 1 ? 'ok\u0000' : 'ok',
        status: 'delivered',
        nextAttemptAt: null,
      }));
      const firstError = await recordAttempts(db.sql, records).catch((err: unknown) => err);
      expect(firstError).toMatchObject({ code: '22021' });
      const outcomes = await writeIsolatingRefusedRows(
        db.sql,
        records.map((r) => [r]),
        recordAttempts,
        firstError,
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const attempts = await db.sql<{ delivery_id: string }[]>`
        SELECT delivery_id FROM delivery_attempts WHERE delivery_id = ANY(${ids}::uuid[])`;
      expect(attempts.map((a) => a.delivery_id).sort()).toEqual([ids[0], ids[2]].sort());
    });

    it('loads every delivery but the one whose id Postgres refuses', async () => {
      const ids = [await createDelivery(), 'not-a-uuid', await createDelivery()];
      const firstError = await loadDeliveriesToSend(db.sql, ids).catch((err: unknown) => err);
      expect(firstError).toMatchObject({ code: '22P02' });
      const outcomes = await writeIsolatingRefusedRows(
        db.sql,
        ids.map((id) => [id]),
        loadDeliveriesToSend,
        firstError,
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes[0]).toMatchObject({
        status: 'fulfilled',
        value: new Map([[ids[0], expect.anything()]]),
      });
    });
  });
});
