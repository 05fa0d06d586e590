// Risk: deliveries in flight when a deliverer dies are never sent (invariant 4: at-least-once).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

const MAIN = join(__dirname, '..', 'src', 'main.ts');
const CONCURRENCY = 50;

function startProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

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

    const first = startProcess(env);
    await waitFor(() => receiver.received.length >= 1500, 60_000, 'deliveries under way');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = receiver.received.length;
    expect(atKill).toBeLessThan(5000);

    const second = startProcess(env);
    const exited = new Promise<number | null>((r) => second.once('exit', (code) => r(code)));
    try {
      await waitFor(
        async () => (await world.db.sql`SELECT 1 FROM deliveries WHERE status = 'delivered'`).length === 5000,
        90_000,
        'all delivered',
      );
    } finally {
      second.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const seen = receiver.received.map((r) => r.headers['webhook-id'] as string);
    const distinct = new Set(seen);
    expect(distinct).toEqual(new Set(ids));
    expect(seen.length - distinct.size).toBeLessThanOrEqual(CONCURRENCY);
  }, 180_000);
});
