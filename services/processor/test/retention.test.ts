// Risk: retention deletes what it must keep, or never deletes what it must not keep.
import { createLogger, Registry } from '@triggers/runtime';
import { createProcessorMetrics } from '../src/metrics.js';
import { pruneRetainedData } from '../src/pruner.js';
import {
  count,
  createEndpoint,
  createOrganization,
  createTestWorld,
  type TestWorld,
} from './test-processor.js';

const DAY = 86_400_000;

describe('pruneRetainedData', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await createTestWorld();
  });
  afterEach(() => world.close());

  async function storeEvent(
    org: string,
    endpoint: string,
    receivedAgoMs: number,
    opts: { ackedAgoMs?: number; status?: string } = {},
  ) {
    const received = new Date(Date.now() - receivedAgoMs);
    const acked = opts.ackedAgoMs === undefined ? null : new Date(Date.now() - opts.ackedAgoMs);
    const [event] = await world.db.sql<{ id: string }[]>`
      INSERT INTO events (id, organization_id, type, payload, occurred_at, received_at, acknowledged_at)
      VALUES (gen_random_uuid(), ${org}, 'a.b', ${world.db.sql.json({})}, ${received}, ${received}, ${acked}) RETURNING id`;
    const [delivery] = await world.db.sql<{ id: string }[]>`
      INSERT INTO deliveries (id, organization_id, event_id, endpoint_id, status, created_at)
      VALUES (gen_random_uuid(), ${org}, ${event!.id}, ${endpoint}, ${opts.status ?? 'delivered'}, ${received}) RETURNING id`;
    await world.db
      .sql`INSERT INTO delivery_attempts (delivery_id, organization_id, attempt, status_code, duration_ms, created_at)
                       VALUES (${delivery!.id}, ${org}, 1, 200, 5, ${received})`;
    return event!.id;
  }

  it('deletes events past the retention with their deliveries and attempts, in small batches, and keeps the rest', async () => {
    const org = await createOrganization(world.db);
    const endpoint = await createEndpoint(world.db, org);
    for (let i = 0; i < 25; i++) await storeEvent(org, endpoint, 8 * DAY);
    const kept = await storeEvent(org, endpoint, 6 * DAY);
    const metrics = createProcessorMetrics(new Registry(), world.db.sql);
    await pruneRetainedData(
      world.db.sql,
      { days: 7, ackedDeliveredHours: 0, batchSize: 10 },
      metrics,
      createLogger({ service: 't', level: 'silent' }),
    );
    const left = await world.db.sql<{ id: string }[]>`SELECT id FROM events`;
    expect(left.map((e) => e.id)).toEqual([kept]);
    expect(await count(world.db, 'deliveries')).toBe(1);
    const [attempts] = await world.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM delivery_attempts`;
    expect(attempts!.n).toBe(1);
  });

  it('deletes acknowledged, fully delivered events sooner when configured, and nothing undelivered', async () => {
    const org = await createOrganization(world.db);
    const endpoint = await createEndpoint(world.db, org);
    await storeEvent(org, endpoint, 3 * 3_600_000, { ackedAgoMs: 2 * 3_600_000 });
    const undelivered = await storeEvent(org, endpoint, 3 * 3_600_000, {
      ackedAgoMs: 2 * 3_600_000,
      status: 'dead',
    });
    const unacked = await storeEvent(org, endpoint, 3 * 3_600_000);
    const recentAck = await storeEvent(org, endpoint, 3 * 3_600_000, { ackedAgoMs: 60_000 });
    const metrics = createProcessorMetrics(new Registry(), world.db.sql);
    await pruneRetainedData(
      world.db.sql,
      { days: 7, ackedDeliveredHours: 1, batchSize: 100 },
      metrics,
      createLogger({ service: 't', level: 'silent' }),
    );
    const left = await world.db.sql<{ id: string }[]>`SELECT id FROM events`;
    expect(left.map((e) => e.id).sort()).toEqual([undelivered, unacked, recentAck].sort());
  });
});
