// Risk: an endpoint stored with a header undici refuses (Expect) fails every one of its deliveries.
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

describe('custom headers', () => {
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

  it('sends an endpoint’s own headers and leaves out reserved ones stored before the API refused them', async () => {
    const endpoint = await world.createEndpoint(receiver.url);
    const headers = { Expect: '100-continue', 'Transfer-Encoding': 'chunked', 'X-Team': 'orders' };
    await world.db
      .sql`UPDATE endpoints SET headers = ${world.db.sql.json(headers)} WHERE id = ${endpoint.id}`;
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered', 10_000);
    const [request] = receiver.received;
    expect(request!.headers['x-team']).toBe('orders');
    expect(request!.headers.expect).toBeUndefined();
    expect(request!.headers['transfer-encoding']).toBeUndefined();
  });
});
