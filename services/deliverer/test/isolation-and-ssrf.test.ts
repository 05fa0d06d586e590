// Risk: one broken endpoint starves the healthy ones, or a webhook reaches a private network.
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

describe('endpoint isolation', () => {
  let world: DeliveryWorld;
  let healthy: WebhookReceiver;
  let hanging: WebhookReceiver;
  beforeEach(async () => {
    world = await createDeliveryWorld();
    healthy = await startWebhookReceiver();
    hanging = await startWebhookReceiver(() => 'hang');
  });
  afterEach(async () => {
    // The hanging receiver goes first: its open requests then fail at once instead of holding the
    // deliverer's shutdown.
    await hanging.close();
    await healthy.close();
    await world.close();
  });

  it('keeps delivering to a healthy endpoint while another endpoint of the organization hangs', async () => {
    const stuck = await world.createEndpoint(hanging.url, { timeoutMs: 30_000 });
    await world.createEndpoint(healthy.url);
    await world.startDeliverer({ CONCURRENCY: '50', MAX_IN_FLIGHT_PER_ENDPOINT: '10' });
    await world.publish(300);
    await waitFor(() => healthy.received.length === 300, 25_000, 'healthy endpoint served');
    // Every healthy delivery landed while the hanging endpoint's requests were still open: none of
    // them has even timed out yet, so the healthy ones never waited behind them.
    const finished = await world.db.sql`
      SELECT 1 FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = ${stuck.id}`;
    expect(finished).toHaveLength(0);
    expect(hanging.received.length).toBeLessThanOrEqual(10);
  }, 60_000);

  it('absorbs a burst to a healthy endpoint beyond its slots without postponing a delivery', async () => {
    let open = 0;
    let mostOpen = 0;
    healthy.answerWith(() => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      setTimeout(() => (open -= 1), 50);
      return { status: 200, delayMs: 50 };
    });
    await world.createEndpoint(healthy.url);
    const deliverer = await world.startDeliverer({ CONCURRENCY: '50', MAX_IN_FLIGHT_PER_ENDPOINT: '10' });
    const ids = await world.publish(20);
    const delivered = async () =>
      (await world.db.sql`SELECT 1 FROM deliveries WHERE id = ANY(${ids}::uuid[]) AND status = 'delivered'`)
        .length;
    await waitFor(async () => (await delivered()) === 20, 10_000, 'burst delivered');
    // Twenty jobs at once against ten slots: the other ten waited for a slot in the process
    // instead of going back to Redis for a quarter of a second or more.
    expect(
      await deliverer.registry.getSingleMetricAsString('triggers_delivery_circuit_deferrals_total'),
    ).toMatch(/^triggers_delivery_circuit_deferrals_total\{reason="endpoint_busy"[^}]*\} 0$/m);
    expect(mostOpen).toBe(10);
    expect(healthy.received).toHaveLength(20);
  }, 30_000);
});

describe('the SSRF guard at send time', () => {
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

  it.each([
    ['an IP literal', (port: number) => `http://127.0.0.1:${port}/hook`],
    ['a name that resolves to loopback', (port: number) => `http://localhost:${port}/hook`],
    ['an IPv4-mapped IPv6 literal', (port: number) => `http://[::ffff:127.0.0.1]:${port}/hook`],
  ])('refuses %s when private targets are not allowed, sending nothing', async (_name, url) => {
    await world.createEndpoint(url(receiver.port), { maxAttempts: 1 });
    await world.startDeliverer({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'false' });
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'dead');
    expect((await world.attempts(id!)).map((a) => a.error_kind)).toEqual(['ssrf_blocked']);
    expect(receiver.received).toHaveLength(0);
  });

  it('does not follow redirects (a 3xx is a failed attempt)', async () => {
    receiver.answerWith(() => ({
      status: 307,
      headers: { location: 'http://169.254.169.254/latest/meta-data' },
    }));
    await world.createEndpoint(receiver.url, { maxAttempts: 1 });
    await world.startDeliverer();
    const [id] = await world.publish(1);
    await waitFor(async () => (await world.delivery(id!)).status === 'dead');
    expect(await world.delivery(id!)).toMatchObject({ last_status_code: 307 });
    expect(receiver.received).toHaveLength(1);
  });
});
