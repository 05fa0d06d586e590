// Risk: a delivery stays pending forever because its job vanished from Redis.
import { deliveryIdsOf } from '@triggers/delivery-queue';
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

describe('the reconciler', () => {
  let world: DeliveryWorld;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    world = await createDeliveryWorld();
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await world.close();
    await receiver.close();
  });

  it('re-queues unfinished deliveries whose job is gone, and leaves alone those whose job exists', async () => {
    await world.createEndpoint(receiver.url);
    // Two batches, each one job carrying its deliveries. Redis "loses" the first; the second waits
    // normally, under an id that is none of its deliveries'.
    const lost = await world.publish(2);
    const kept = await world.publish(3);
    const ids = [...lost, ...kept];
    const queue = world.jobsQueue();
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((job) => deliveryIdsOf(job.data).length).sort()).toEqual([2, 3]);
    await jobs.find((job) => deliveryIdsOf(job.data).includes(lost[0]!))!.remove();
    await world.db.sql`UPDATE deliveries SET updated_at = now() - interval '1 hour'`;
    const deliverer = await world.startDeliverer({
      RECONCILE_INTERVAL_MS: '100',
      RECONCILE_AFTER_SECONDS: '60',
    });
    await waitFor(
      async () => (await world.db.sql`SELECT 1 FROM deliveries WHERE status = 'delivered'`).length === 5,
    );
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id']))).toEqual(new Set(ids));
    expect(receiver.received).toHaveLength(5);
    expect(await deliverer.registry.getSingleMetricAsString('triggers_reconciler_requeued_total')).toMatch(
      / 2$/m,
    );
  });

  it('looks for a replayed delivery’s job under its run, and re-queues the run that was lost', async () => {
    await world.createEndpoint(receiver.url);
    const [kept, lost] = await world.publish(2);
    await world.db.sql`UPDATE deliveries SET status = 'dead', attempts = 5 WHERE id IN (${kept!}, ${lost!})`;
    await world.replay(kept!);
    await world.replay(lost!);
    // The first runs' jobs are still there (stale: the deliverer skips them); the replays' jobs are
    // what counts. Redis loses one of them.
    const queue = world.jobsQueue();
    await (await queue.getJob(`${lost!}-replay-1`))!.remove();
    await world.db.sql`UPDATE deliveries SET updated_at = now() - interval '1 hour'`;
    const deliverer = await world.startDeliverer({
      RECONCILE_INTERVAL_MS: '100',
      RECONCILE_AFTER_SECONDS: '60',
    });
    await waitFor(
      async () => (await world.db.sql`SELECT 1 FROM deliveries WHERE status = 'delivered'`).length === 2,
    );
    expect(receiver.received.map((r) => r.headers['webhook-id']).sort()).toEqual([kept, lost].sort());
    expect(await deliverer.registry.getSingleMetricAsString('triggers_reconciler_requeued_total')).toMatch(
      / 1$/m,
    );
  });
});
