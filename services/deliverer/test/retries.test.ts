// Risk: a delivery is given up too early, retried wrongly, or a failing receiver is hammered.
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

describe('retries, the dead letter queue and replay', () => {
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

  it('delivers on the third attempt to a receiver failing twice, with the same webhook-id each time', async () => {
    receiver.answerWith((_r, n) => (n <= 2 ? { status: 500, body: `boom ${n}` } : { status: 200 }));
    await world.createEndpoint(receiver.url);
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered');
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([id, id, id]);
    expect(await world.delivery(id!)).toMatchObject({ attempts: 3, last_status_code: 200 });
    const attempts = await world.attempts(id!);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.error_kind, a.response_body])).toEqual([
      [1, 500, 'http_status', 'boom 1'],
      [2, 500, 'http_status', 'boom 2'],
      [3, 200, null, null],
    ]);
  });

  it('ends dead after the configured attempts, and a replay succeeds once the receiver is fixed', async () => {
    receiver.answerWith(() => ({ status: 503 }));
    await world.createEndpoint(receiver.url, { maxAttempts: 3 });
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'dead');
    expect(receiver.received).toHaveLength(3);
    expect(await world.attempts(id!)).toHaveLength(3);

    receiver.answerWith(() => ({ status: 204 }));
    await world.replay(id!);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered');
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received[3]!.headers['webhook-id']).toBe(id);
  });

  it('waits as long as Retry-After says on a 429, not the (much shorter) backoff', async () => {
    receiver.answerWith((_r, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    await world.createEndpoint(receiver.url);
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered', 10_000);
    const [first, second] = receiver.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1900);
  });

  it('disables the endpoint on 410 Gone, and sends nothing more to it', async () => {
    receiver.answerWith(() => ({ status: 410 }));
    const endpoint = await world.createEndpoint(receiver.url);
    const [first, second] = await world.publish(2);
    await world.startDeliverer({ CONCURRENCY: '1' });
    await waitFor(
      async () =>
        (await world.delivery(first!)).status === 'dead' && (await world.delivery(second!)).status === 'dead',
    );
    const [row] = await world.db.sql<
      { enabled: boolean; disabled_reason: string }[]
    >`SELECT enabled, disabled_reason FROM endpoints WHERE id = ${endpoint.id}`;
    expect(row).toEqual({ enabled: false, disabled_reason: expect.stringContaining('410') });
    // The second delivery, queued before the 410, is settled dead without being sent.
    expect(receiver.received).toHaveLength(1);
    const settledUnsent = receiver.received[0]!.headers['webhook-id'] === first ? second : first;
    expect(await world.delivery(settledUnsent!)).toMatchObject({
      last_error: 'endpoint disabled',
      attempts: 0,
    });
  });

  it('times out a hanging receiver and retries', async () => {
    receiver.answerWith((_r, n) => (n === 1 ? 'hang' : { status: 200 }));
    await world.createEndpoint(receiver.url, { timeoutMs: 300 });
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered', 10_000);
    const attempts = await world.attempts(id!);
    expect(attempts.map((a) => a.error_kind)).toEqual(['timeout', null]);
  });

  it('retries when the receiver drops the connection mid-request', async () => {
    receiver.answerWith((_r, n) => (n === 1 ? 'destroy' : { status: 200 }));
    await world.createEndpoint(receiver.url);
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'delivered', 10_000);
    expect((await world.attempts(id!)).map((a) => a.error_kind)).toEqual(['network', null]);
  });

  it('stops sending to an endpoint whose circuit opened, without spending the waiting deliveries’ attempts', async () => {
    receiver.answerWith(() => ({ status: 500 }));
    await world.createEndpoint(receiver.url, { maxAttempts: 50 });
    const deliverer = await world.startDeliverer({
      CIRCUIT_FAILURE_THRESHOLD: '5',
      CIRCUIT_COOLDOWN_MS: '60000',
      CONCURRENCY: '4',
    });
    const ids = await world.publish(20);
    await waitFor(
      async () =>
        /^triggers_delivery_circuit_deferrals_total\{reason="circuit_open"[^}]*\} [1-9]/m.test(
          await deliverer.registry.getSingleMetricAsString('triggers_delivery_circuit_deferrals_total'),
        ),
      10_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const sent = receiver.received.length;
    // Open at 5 failures; only the requests already in flight at that moment may follow.
    expect(sent).toBeLessThanOrEqual(5 + 4);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.length).toBe(sent);
    const untouched = await world.db
      .sql`SELECT 1 FROM deliveries WHERE id = ANY(${ids}::uuid[]) AND attempts = 0`;
    expect(untouched.length).toBeGreaterThanOrEqual(20 - sent);
  });

  it('marks deliveries delivered without sending when DISABLE_WEBHOOK_DELIVERY is set', async () => {
    await world.createEndpoint(receiver.url);
    await world.startDeliverer({ DISABLE_WEBHOOK_DELIVERY: 'true' });
    const ids = await world.publish(10);
    await waitFor(
      async () => (await world.db.sql`SELECT 1 FROM deliveries WHERE status = 'delivered'`).length === 10,
    );
    expect(receiver.received).toHaveLength(0);
    expect(ids).toHaveLength(10);
  });
});
