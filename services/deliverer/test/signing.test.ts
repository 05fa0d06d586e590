// Risk: receivers cannot verify our webhooks (or verify forged ones), before or during a secret rotation.
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { generateEndpointSecret } from '@triggers/webhooks';
import { USER_AGENT } from '../src/webhook-request.js';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

describe('signed webhooks', () => {
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

  it('sends the event as JSON with Standard Webhooks headers that an independent verifier accepts', async () => {
    const endpoint = await world.createEndpoint(`${receiver.url}/hooks/orders`);
    await world.startDeliverer();
    const [deliveryId] = await world.publish(1);
    await waitFor(() => receiver.received.length === 1);
    const request = receiver.received[0]!;
    expect(request.path).toBe('/hooks/orders');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe(USER_AGENT);
    expect(request.headers['webhook-id']).toBe(deliveryId);
    const verified = new Webhook(endpoint.secret).verify(
      request.body,
      request.headers as Record<string, string>,
    ) as Record<string, unknown>;
    expect(verified).toMatchObject({ type: 'order.created', payload: { i: 0 } });
    expect(Object.keys(verified).sort()).toEqual(['id', 'occurred_at', 'payload', 'received_at', 'type']);
    await waitFor(async () => (await world.delivery(deliveryId!)).status === 'delivered');
  });

  it('signs with the new and the previous secret during a rotation, and with the new one only once the old expired', async () => {
    const [next, previous] = [generateEndpointSecret(), generateEndpointSecret()];
    const rotating = await world.createEndpoint(`${receiver.url}/rotating`, {
      secret: next,
      previousSecret: previous,
      previousSecretExpiresAt: new Date(Date.now() + 3_600_000),
    });
    const rotated = await world.createEndpoint(`${receiver.url}/rotated`, {
      secret: next,
      previousSecret: previous,
      previousSecretExpiresAt: new Date(Date.now() - 1000),
    });
    await world.startDeliverer();
    await world.publish(1);
    await waitFor(() => receiver.received.length === 2);
    const during = receiver.received.find((r) => r.path === '/rotating')!;
    const after = receiver.received.find((r) => r.path === '/rotated')!;
    for (const secret of [next, previous])
      expect(() =>
        new Webhook(secret).verify(during.body, during.headers as Record<string, string>),
      ).not.toThrow();
    expect(() => new Webhook(next).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(previous).verify(after.body, after.headers as Record<string, string>)).toThrow();
    expect([rotating.id, rotated.id]).toHaveLength(2);
  });
});
