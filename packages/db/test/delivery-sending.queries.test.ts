// Risk: an attempt recorded twice (a statement re-run after its connection died), a duplicate
// job's outcome overwriting the first one's, or two deliverers deadlocking on the same deliveries.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@triggers/testing';
import { insertOrganization, recordAttempts, type AttemptRecord } from '../src/index.js';
import { insertEndpoint } from './fixtures.js';

describe('recordAttempts', () => {
  let db: TestDatabase;
  let organizationId: string;
  let endpointId: string;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 6 });
    organizationId = (await insertOrganization(db.db, { name: 'acme', rateLimitPerSecond: null })).id;
    endpointId = await insertEndpoint(db.sql, organizationId);
  });
  afterAll(() => db.drop());

  async function createDeliveries(count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    const eventIds = ids.map(() => randomUUID());
    await db.sql`
      INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at)
      SELECT id, ${organizationId}, 'order.created', '{}'::jsonb, now(), now()
      FROM unnest(${eventIds}::uuid[]) AS id`;
    await db.sql`
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id)
      SELECT d, ${organizationId}, e, ${endpointId}
      FROM unnest(${ids}::uuid[], ${eventIds}::uuid[]) AS t (d, e)`;
    return ids;
  }

  function attempt(
    deliveryId: string,
    n: number,
    outcome: 'delivered' | 'failed',
    replays = 0,
  ): AttemptRecord {
    return {
      deliveryId,
      organizationId,
      attempt: n,
      replays,
      statusCode: outcome === 'delivered' ? 200 : 500,
      durationMs: 12,
      errorKind: outcome === 'delivered' ? null : 'http_status',
      error: null,
      responseBody: null,
      status: outcome,
      nextAttemptAt: null,
    };
  }

  async function stateOf(id: string) {
    const [delivery] = await db.sql<{ status: string; attempts: number }[]>`
      SELECT status, attempts FROM deliveries WHERE id = ${id}`;
    const attempts = await db.sql<{ attempt: number; status_code: number }[]>`
      SELECT attempt, status_code FROM delivery_attempts WHERE delivery_id = ${id} ORDER BY id`;
    return { ...delivery, history: attempts.map((a) => [a.attempt, a.status_code]) };
  }

  it('records an attempt once when the same statement runs twice', async () => {
    const [id] = await createDeliveries(1);
    const records = [attempt(id!, 1, 'failed')];
    await recordAttempts(db.sql, records);
    await recordAttempts(db.sql, records);
    expect(await stateOf(id!)).toEqual({ status: 'failed', attempts: 1, history: [[1, 500]] });

    await recordAttempts(db.sql, [attempt(id!, 2, 'delivered')]);
    expect(await stateOf(id!)).toEqual({
      status: 'delivered',
      attempts: 2,
      history: [
        [1, 500],
        [2, 200],
      ],
    });
  });

  it('keeps the first outcome when a duplicate job reports the same attempt', async () => {
    const [id] = await createDeliveries(1);
    await recordAttempts(db.sql, [attempt(id!, 1, 'delivered')]);
    await recordAttempts(db.sql, [attempt(id!, 1, 'failed')]);
    expect(await stateOf(id!)).toEqual({ status: 'delivered', attempts: 1, history: [[1, 200]] });
  });

  it('records a replayed run, whose attempts count from 1 again, beside the first', async () => {
    const [id] = await createDeliveries(1);
    await recordAttempts(db.sql, [attempt(id!, 1, 'delivered')]);
    await db.sql`UPDATE deliveries SET status = 'pending', attempts = 0, replays = 1 WHERE id = ${id!}`; // a replay
    await recordAttempts(db.sql, [attempt(id!, 1, 'delivered', 1)]);
    expect(await stateOf(id!)).toEqual({
      status: 'delivered',
      attempts: 1,
      history: [
        [1, 200],
        [1, 200],
      ],
    });
  });

  it('ignores a late attempt of a run replayed since, which would otherwise pass for the new run', async () => {
    const [id] = await createDeliveries(1);
    await db.sql`UPDATE deliveries SET status = 'pending', attempts = 0, replays = 1 WHERE id = ${id!}`; // a replay
    await recordAttempts(db.sql, [attempt(id!, 1, 'failed', 0)]); // run 0's job, loaded before the replay
    expect(await stateOf(id!)).toEqual({ status: 'pending', attempts: 0, history: [] });
  });

  it('ignores attempts of deliveries that retention removed', async () => {
    await expect(recordAttempts(db.sql, [attempt(randomUUID(), 1, 'delivered')])).resolves.toBeUndefined();
  });

  it('never deadlocks when two statements name the same deliveries in opposite orders', async () => {
    const ids = await createDeliveries(300);
    for (let n = 1; n <= 15; n += 1) {
      const forward = ids.map((id) => attempt(id, n, 'failed'));
      const backward = [...forward].reverse();
      // Unordered locking deadlocks here within a few rounds (Postgres aborts one with 40P01).
      await Promise.all([recordAttempts(db.sql, forward), recordAttempts(db.sql, backward)]);
    }
    const [row] = await db.sql<{ attempts: number; history: number }[]>`
      SELECT min(d.attempts)::int AS attempts,
             (SELECT count(*)::int FROM delivery_attempts a WHERE a.delivery_id = ANY(${ids}::uuid[])) AS history
      FROM deliveries d WHERE d.id = ANY(${ids}::uuid[])`;
    expect(row).toEqual({ attempts: 15, history: 300 * 15 });
  });
});
