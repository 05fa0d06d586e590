// Risk: deliveries in flight when a deliverer dies are never sent (invariant 4: at-least-once).
import { launchService, type ProcessExit } from '@triggers/service-launcher';
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

const CONCURRENCY = 50;

describe('a deliverer killed with SIGKILL mid-delivery', () => {
  let world: DeliveryWorld;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    world = await createDeliveryWorld();
    // A little latency per request keeps many deliveries in flight when the kill lands.
    receiver = await startWebhookReceiver(() => ({ status: 200, delayMs: 5 }));
  });
  afterAll(async () => {
    await world.close();
    await receiver.close();
  });

  it('gets every delivery to the receiver at least once, with duplicates bounded by what was in flight', async () => {
    await world.createEndpoint(receiver.url);
    const ids = await world.publish(5000);
    const env = {
      ...world.env,
      CONCURRENCY: String(CONCURRENCY),
      MAX_IN_FLIGHT_PER_ENDPOINT: String(CONCURRENCY),
      STALLED_JOB_TIMEOUT_MS: '2000',
    };

    const first = await launchService('deliverer', { env });
    await waitFor(() => receiver.received.length >= 1500, 60_000, 'deliveries under way');
    await first.kill();
    const atKill = receiver.received.length;
    expect(atKill).toBeLessThan(5000);

    const second = await launchService('deliverer', { env });
    let exit: ProcessExit | undefined;
    try {
      await waitFor(
        async () => (await world.db.sql`SELECT 1 FROM deliveries WHERE status = 'delivered'`).length === 5000,
        90_000,
        'all delivered',
      );
    } finally {
      exit = await second.stop();
    }
    expect(exit).toEqual({ code: 0, signal: null });

    const seen = receiver.received.map((r) => r.headers['webhook-id'] as string);
    const distinct = new Set(seen);
    expect(distinct).toEqual(new Set(ids));
    expect(seen.length - distinct.size).toBeLessThanOrEqual(CONCURRENCY);
  }, 180_000);
});
