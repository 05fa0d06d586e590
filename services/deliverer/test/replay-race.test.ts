// Risk: a replay that lands while the delivery's previous job is finishing is stranded without a job, or sent twice.
import { handOffDeliveries } from '@triggers/delivery-queue';
import { startWebhookReceiver, testRedisUrl, type WebhookReceiver } from '@triggers/testing';
import { startPausableProxy, type PausableProxy } from './pausable-proxy.js';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

describe('replaying a delivery', () => {
  let world: DeliveryWorld;
  let receiver: WebhookReceiver;
  let proxy: PausableProxy;
  beforeEach(async () => {
    world = await createDeliveryWorld();
    receiver = await startWebhookReceiver();
    proxy = await startPausableProxy(testRedisUrl());
  });
  afterEach(async () => {
    proxy.release();
    await world.close();
    await receiver.close();
    await proxy.close();
  });

  it('gives a replay made while the delivered job is still finishing a live job of its own, sent at once', async () => {
    await world.createEndpoint(receiver.url);
    // The deliverer's Redis goes through the proxy; the replay's (world.replay) does not. Reconciling
    // only after 15 minutes: whatever sends the replay below, it is not the reconciler.
    await world.startDeliverer({ REDIS_URL: proxy.url, RECONCILE_AFTER_SECONDS: '900' });
    // While the first request is in flight, hold the deliverer's Redis: it records the attempt in
    // Postgres (delivered), then cannot finish its job (the circuit update and BullMQ's completion
    // wait). The job is still active in Redis when the replay lands.
    receiver.answerWith((_r, n) => {
      if (n === 1) proxy.hold();
      return { status: 200 };
    });
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered', 10_000, 'first delivery');
    const active = await world.jobsQueue().getJob(id!);
    expect(await active?.getState()).toBe('active');

    await world.replay(id!);
    proxy.release();

    await waitFor(async () => receiver.received.length === 2, 10_000, 'the replay sent');
    await waitFor(
      async () => (await world.delivery(id!)).status === 'delivered',
      10_000,
      'the replay delivered',
    );
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([id, id]);
    expect(await world.delivery(id!)).toMatchObject({ attempts: 1, last_status_code: 200 });
    // The finished job ended without sending again: two requests, not three.
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(2);
  }, 30_000);

  it('lets only the current run send: a job of an earlier run that is still waiting is skipped', async () => {
    await world.createEndpoint(receiver.url);
    // The first run's job waits in the queue (no deliverer yet) while the delivery is settled and
    // replayed: two live jobs for one delivery, of runs 0 and 1.
    const [id] = await world.publish(1);
    await world.db.sql`UPDATE deliveries SET status = 'dead', attempts = 5 WHERE id = ${id!}`;
    await world.replay(id!);
    const waiting = await world.jobsQueue().getJobs(['waiting', 'prioritized']);
    expect(waiting.map((j) => j.id).sort()).toEqual([id, `${id}-replay-1`].sort());
    // A duplicate of the first run's job (a sweeper re-add) changes nothing either.
    const [d] = await world.db.sql<{ event_id: string; endpoint_id: string }[]>`
      SELECT event_id, endpoint_id FROM deliveries WHERE id = ${id!}`;
    await handOffDeliveries(world.jobsQueue(), [
      { id: id!, eventId: d!.event_id, endpointId: d!.endpoint_id, organizationId: world.organizationId },
    ]);

    await world.startDeliverer();
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered', 10_000);
    await waitFor(async () => (await world.jobsQueue().getJobCounts('waiting', 'active')).waiting === 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(1);
    expect(await world.delivery(id!)).toMatchObject({ attempts: 1 });
  }, 30_000);
});
