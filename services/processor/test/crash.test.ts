// Risk: a processor killed at any instant loses or duplicates events (invariant 2: nothing accepted is lost).
import { queuedDeliveryIds } from '@triggers/delivery-queue';
import { launchService, type ProcessExit } from '@triggers/service-launcher';
import { queueRow } from '@triggers/testing';
import {
  count,
  createEndpoint,
  createOrganization,
  createTestWorld,
  enqueueEvents,
  waitFor,
  type TestWorld,
} from './test-processor.js';

describe('a processor killed with SIGKILL, again and again', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await createTestWorld();
  });
  afterAll(() => world.close());

  it('leaves every event stored exactly once and every delivery enqueued', async () => {
    const org = await createOrganization(world.db);
    await createEndpoint(world.db, org);
    const total = 20_000;
    await enqueueEvents(
      world.db,
      Array.from({ length: total }, (_, i) => queueRow(org, { payload: { i } })),
    );
    const env = {
      ...world.env,
      BATCH_SIZE: '100',
      SWEEP_INTERVAL_MS: '300',
      SWEEP_GRACE_SECONDS: '1',
    };

    let kills = 0;
    while (kills < 5) {
      const child = await launchService('processor', { env });
      const before = await count(world.db, 'event_queue');
      // Kill it while it is working: after it processed something, at a random moment.
      await waitFor(
        async () => (await count(world.db, 'event_queue')) < before || before === 0,
        30_000,
        'progress',
      );
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      await child.kill();
      kills++;
    }
    expect(await count(world.db, 'event_queue')).toBeGreaterThan(0); // the kills came mid-work

    const last = await launchService('processor', { env });
    let exit: ProcessExit | undefined;
    try {
      await waitFor(
        async () =>
          (await count(world.db, 'event_queue')) === 0 && (await count(world.db, 'delivery_handoffs')) === 0,
        60_000,
        'drained',
      );
    } finally {
      exit = await last.stop();
    }
    expect(exit).toEqual({ code: 0, signal: null }); // SIGTERM is a clean shutdown

    const [events] = await world.db.sql<{ n: number; distinct_i: number }[]>`
      SELECT count(*)::int AS n, count(DISTINCT payload->>'i')::int AS distinct_i FROM events`;
    expect(events).toEqual({ n: total, distinct_i: total });
    const deliveries = await world.db.sql<{ id: string }[]>`SELECT id FROM deliveries`;
    expect(deliveries).toHaveLength(total);
    const jobs = await queuedDeliveryIds(world.jobsQueue());
    expect(deliveries.filter((d) => !jobs.has(d.id))).toEqual([]);
  }, 180_000);
});
