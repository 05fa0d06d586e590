// Risk: one organization floods the API or multiplies its traffic through test sends and replays, or ingestion stops because Redis is down.
import { Redis } from 'ioredis';
import { startThrowawayRedis } from '@triggers/testing';
import { call, createEndpoint, deliveriesOf, sendStoredEvents, setDeliveryState } from './fixtures.js';
import { anEvent, post, startTestApi, type TestApi } from './test-api.js';

async function sendMany(api: TestApi, key: string, n: number) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => post(api, '/api/events', key, anEvent({ payload: { i } }))),
  );
}

describe('per-organization rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After and RateLimit-* headers past the limit, storing nothing for it', async () => {
    const org = await api.createOrganization({ rateLimitPerSecond: 5 });
    const responses = await sendMany(api, org.key, 8);
    const limited = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(5);
    expect(limited).toHaveLength(3);
    const res = limited[0]!;
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('ratelimit-limit')).toBe('5');
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    const rows = await api.db.sql`SELECT 1 FROM event_queue WHERE organization_id = ${org.id}`;
    expect(rows).toHaveLength(5);
  });

  it('asks Redis once per lease of 5 % of the limit when requests come one at a time, never accepting more than the limit', async () => {
    const redis = new Redis(api.config.redis.url);
    try {
      // The counts hold within one one-second window (it opens with the first request): a run that
      // a loaded machine stretches past it is repeated with a new organization, up to twenty times
      // (a busy CI machine stretched five in a row).
      for (let attempt = 1; ; attempt++) {
        const org = await api.createOrganization({ rateLimitPerSecond: 100 });
        const began = performance.now();
        const oneAtATime: number[] = [];
        for (let i = 0; i < 10; i++)
          oneAtATime.push((await post(api, '/api/events', org.key, anEvent())).status);
        const [key] = await redis.keys(`${api.config.redis.keyPrefix}*ratelimit:100:${org.id}`);
        const counted = Number(await redis.get(key!));
        const rest = await sendMany(api, org.key, 110);
        if (performance.now() - began >= 1000 && attempt < 20) continue;
        expect(oneAtATime).toEqual(Array(10).fill(202));
        // Two calls of 1 + 5 points each counted in Redis for the ten requests, not ten calls of 1.
        expect(counted).toBe(12);
        expect(rest.filter((r) => r.status === 202)).toHaveLength(90);
        const rows = await api.db.sql`SELECT 1 FROM event_queue WHERE organization_id = ${org.id}`;
        expect(rows).toHaveLength(100);
        return;
      }
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  it('counts each event of a batch against the limit', async () => {
    const org = await api.createOrganization({ rateLimitPerSecond: 10 });
    const first = await post(api, '/api/events/batch', org.key, {
      events: Array.from({ length: 8 }, () => anEvent()),
    });
    const second = await post(api, '/api/events/batch', org.key, {
      events: Array.from({ length: 8 }, () => anEvent()),
    });
    expect(first.status).toBe(202);
    expect(second.status).toBe(429);
  });

  it('does not let one organization spend another one’s budget', async () => {
    const noisy = await api.createOrganization({ rateLimitPerSecond: 3 });
    const quiet = await api.createOrganization({ rateLimitPerSecond: 3 });
    await sendMany(api, noisy.key, 10);
    const res = await post(api, '/api/events', quiet.key, anEvent());
    expect(res.status).toBe(202);
  });
});

describe('the limit on amplifying operations (test sends, replays)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true', AMPLIFY_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => api.close());

  /** An organization with an endpoint and `n` dead deliveries to it (made through ingest, which has its own budget). */
  async function orgWithDeadDeliveries(n: number) {
    const org = await api.createOrganization();
    const endpoint = await createEndpoint(api, org.key);
    const events = await sendStoredEvents(
      api,
      org.key,
      Array.from({ length: n }, (_, i) => ({ type: 'amplify.test', payload: { i } })),
    );
    const deliveries: string[] = [];
    for (const e of events) {
      const id = (await deliveriesOf(api, e)).get(endpoint.id)!;
      await setDeliveryState(api, id, 'dead', [{ statusCode: 500 }]);
      deliveries.push(id);
    }
    return { org, endpoint, deliveries };
  }

  const testSend = (key: string, endpointId: string) =>
    call(api, 'POST', `/api/endpoints/${endpointId}/test`, key);
  const replay = (key: string, id: string) => call(api, 'POST', `/api/deliveries/${id}/replay`, key);

  it('shares one budget between test sends and replays: 429 with Retry-After past it, another organization unaffected', async () => {
    const { org, endpoint, deliveries } = await orgWithDeadDeliveries(3);
    const other = await orgWithDeadDeliveries(1);

    const sends = await Promise.all([1, 2, 3].map(() => testSend(org.key, endpoint.id)));
    expect(sends.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(sends[0]!.headers.get('ratelimit-limit')).toBe('5');
    expect((await replay(org.key, deliveries[0]!)).status).toBe(202);
    const last = await replay(org.key, deliveries[1]!);
    expect([last.status, last.headers.get('ratelimit-remaining')]).toEqual([202, '0']);

    const refused = await replay(org.key, deliveries[2]!);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Refused means nothing happened: the delivery is still dead, no test event was stored.
    const [row] = await api.db.sql<
      { status: string }[]
    >`SELECT status FROM deliveries WHERE id = ${deliveries[2]!}`;
    expect(row!.status).toBe('dead');
    const before = await api.db.sql`SELECT 1 FROM events WHERE organization_id = ${org.id}`;
    expect((await testSend(org.key, endpoint.id)).status).toBe(429);
    const bulk = await call(api, 'POST', '/api/deliveries/replay', org.key, { endpoint_id: endpoint.id });
    expect(bulk.status).toBe(429);
    expect(await api.db.sql`SELECT 1 FROM events WHERE organization_id = ${org.id}`).toHaveLength(
      before.length,
    );

    // Ingest keeps its own budget, and another organization its own.
    expect((await post(api, '/api/events', org.key, anEvent())).status).toBe(202);
    expect((await testSend(other.org.key, other.endpoint.id)).status).toBe(202);
    expect((await replay(other.org.key, other.deliveries[0]!)).status).toBe(202);
  });

  it('counts a bulk replay by the deliveries it replays, giving back what it did not use', async () => {
    const { org, endpoint } = await orgWithDeadDeliveries(2);
    // A chunk may replay up to 5 (the whole budget): 5 are spent, 3 given back.
    const bulk = await call(api, 'POST', '/api/deliveries/replay', org.key, { endpoint_id: endpoint.id });
    expect(bulk.body).toMatchObject({ count: 2, has_more: false });
    // A dry run spends nothing.
    await call(api, 'POST', '/api/deliveries/replay', org.key, { endpoint_id: endpoint.id, dry_run: true });
    const sends = [];
    for (let i = 0; i < 4; i++) sends.push((await testSend(org.key, endpoint.id)).status);
    expect(sends).toEqual([202, 202, 202, 429]);
  });

  it('spends nothing on a refused call: a bulk replay too large for what is left leaves it for smaller ones', async () => {
    const { org, endpoint } = await orgWithDeadDeliveries(1);
    expect((await testSend(org.key, endpoint.id)).status).toBe(202);
    // A chunk of up to 5 no longer fits the 4 left: refused, and those 4 are still there.
    const bulk = await call(api, 'POST', '/api/deliveries/replay', org.key, { endpoint_id: endpoint.id });
    expect(bulk.status).toBe(429);
    expect(bulk.headers.get('ratelimit-remaining')).toBe('4');
    const sends = [];
    for (let i = 0; i < 5; i++) sends.push((await testSend(org.key, endpoint.id)).status);
    expect(sends).toEqual([202, 202, 202, 202, 429]);
  });
});

describe('rate limits while Redis is down', () => {
  let api: TestApi;
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  beforeAll(async () => {
    redis = await startThrowawayRedis();
    api = await startTestApi({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await api.close();
    await redis.destroy();
  });

  it('keeps accepting events and keeps limiting them in memory, then uses Redis again once it is back', async () => {
    const org = await api.createOrganization({ rateLimitPerSecond: 5 });
    expect((await post(api, '/api/events', org.key, anEvent())).status).toBe(202);

    await redis.kill();
    await new Promise((r) => setTimeout(r, 1100)); // a fresh one-second window
    const whileDown = await sendMany(api, org.key, 8);
    expect(whileDown.filter((r) => r.status === 202)).toHaveLength(5);
    expect(whileDown.filter((r) => r.status === 429)).toHaveLength(3);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { postgres: 'ok', redis: 'failing' } });

    await redis.start();
    await waitFor(
      async () =>
        ((await fetch(`${api.url}/readyz`).then((r) => r.json())) as { checks: { redis: string } }).checks
          .redis === 'ok',
    );
    await new Promise((r) => setTimeout(r, 1100));
    const after = await sendMany(api, org.key, 8);
    expect(after.filter((r) => r.status === 202)).toHaveLength(5);
    // The budget is counted in Redis again, shared by every instance.
    const client = new Redis(redis.url);
    const keys = await client.keys(`${api.config.redis.keyPrefix}*${org.id}`);
    client.disconnect();
    expect(keys.length).toBeGreaterThan(0);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
