// Risk: endpoints leak their secret, carry headers that break or spoof deliveries, or show a URL other than the one deliveries go to.
import { CircuitBreaker } from '@triggers/circuit-breaker';
import { startTestApi, type TestApi } from './test-api.js';
import {
  call,
  createEndpoint,
  deliveriesOf,
  deliveryQueueOf,
  sendStoredEvents,
  setDeliveryState,
  waitingJobs,
} from './fixtures.js';

interface EndpointJson {
  id: string;
  url: string;
  secret?: string;
  enabled: boolean;
  event_types: string[];
  headers: Record<string, string>;
  max_attempts: number | null;
  timeout_ms: number | null;
  description: string | null;
  disabled_reason: string | null;
  previous_secret_expires_at: string | null;
}

describe('/api/endpoints', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({
      ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
      ENDPOINT_SECRET_ROTATION_GRACE_HOURS: '24',
    });
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  /** The deliverers' circuit of `endpointId`, opened by one failure (as a deliverer would record it). */
  async function openCircuitOf(endpointId: string): Promise<CircuitBreaker> {
    const breaker = new CircuitBreaker(api.service.redis, api.config.redis.keyPrefix, {
      failureThreshold: 1,
      cooldownMs: 60_000,
      maxCooldownMs: 60_000,
      probeTimeoutMs: 1000,
    });
    await breaker.recordFailure(endpointId, false);
    return breaker;
  }

  it('creates an endpoint and shows its whsec_ secret once, never again', async () => {
    const res = await call<EndpointJson>(api, 'POST', '/api/endpoints', org.key, {
      url: 'http://127.0.0.1:4100/hook',
      event_types: ['order.*', 'user.created'],
      description: 'orders',
      headers: { 'X-Team': 'orders', Authorization: 'Bearer receiver-token' },
      max_attempts: 8,
      timeout_ms: 2500,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/endpoints/${res.body.id}`);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(res.body).toMatchObject({
      enabled: true,
      max_attempts: 8,
      timeout_ms: 2500,
      event_types: ['order.*', 'user.created'],
    });
    const got = await call<EndpointJson>(api, 'GET', `/api/endpoints/${res.body.id}`, org.key);
    const listed = await call<{ data: EndpointJson[] }>(api, 'GET', '/api/endpoints', org.key);
    for (const body of [got.body, ...listed.body.data])
      expect(JSON.stringify(body)).not.toContain(res.body.secret);
    expect(got.body.headers).toEqual({ 'X-Team': 'orders', Authorization: 'Bearer receiver-token' });
  });

  it('updates url, filter, enabled, description, headers, retries and timeout', async () => {
    const { id } = await createEndpoint(api, org.key);
    const res = await call<EndpointJson>(api, 'PATCH', `/api/endpoints/${id}`, org.key, {
      url: 'http://127.0.0.1:4100/other',
      event_types: [],
      enabled: false,
      description: null,
      headers: { 'X-A': '1' },
      max_attempts: null,
      timeout_ms: 60000,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      url: 'http://127.0.0.1:4100/other',
      event_types: [],
      enabled: false,
      description: null,
      headers: { 'X-A': '1' },
      max_attempts: null,
      timeout_ms: 60000,
    });
    expect(res.body.secret).toBeUndefined();
  });

  it('clears the system’s disabled_reason when a person re-enables the endpoint', async () => {
    const { id } = await createEndpoint(api, org.key);
    await api.db
      .sql`UPDATE endpoints SET enabled = false, disabled_reason = 'HTTP 410 Gone' WHERE id = ${id}`;
    const res = await call<EndpointJson>(api, 'PATCH', `/api/endpoints/${id}`, org.key, { enabled: true });
    expect(res.body).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it.each([
    ['a hop-by-hop header', { headers: { Connection: 'close' } }, '/headers/Connection'],
    [
      'Expect, which undici refuses on every request',
      { headers: { Expect: '100-continue' } },
      '/headers/Expect',
    ],
    ['Keep-Alive', { headers: { 'Keep-Alive': 'timeout=5' } }, '/headers/Keep-Alive'],
    ['Upgrade', { headers: { upgrade: 'websocket' } }, '/headers/upgrade'],
    ['HTTP2-Settings', { headers: { 'HTTP2-Settings': 'AAMAAABkAAQAAP__' } }, '/headers/HTTP2-Settings'],
    ['Proxy-Connection', { headers: { 'Proxy-Connection': 'keep-alive' } }, '/headers/Proxy-Connection'],
    ['a proxy header', { headers: { 'Proxy-Authorization': 'x' } }, '/headers/Proxy-Authorization'],
    ['a signature header', { headers: { 'webhook-signature': 'v1,forged' } }, '/headers/webhook-signature'],
    ['Host', { headers: { host: 'internal' } }, '/headers/host'],
    ['Content-Type', { headers: { 'Content-Type': 'text/plain' } }, '/headers/Content-Type'],
    ['User-Agent', { headers: { 'user-agent': 'x' } }, '/headers/user-agent'],
    ['a header name that is not a token', { headers: { 'Bad Name': 'x' } }, '/headers'],
    ['a header value with a line break', { headers: { 'X-A': 'a\r\nX-Injected: 1' } }, '/headers/X-A'],
    ['the same header twice', { headers: { 'X-A': '1', 'x-a': '2' } }, '/headers/x-a'],
    [
      'too many headers',
      { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-${i}`, 'v'])) },
      '/headers',
    ],
    ['max_attempts above 50', { max_attempts: 51 }, '/max_attempts'],
    ['max_attempts below 1', { max_attempts: 0 }, '/max_attempts'],
    ['timeout_ms below 100', { timeout_ms: 99 }, '/timeout_ms'],
    ['timeout_ms above 60000', { timeout_ms: 60001 }, '/timeout_ms'],
    ['a bad event-type filter', { event_types: ['order.**'] }, '/event_types/0'],
    ['an unknown field', { secret: 'whsec_mine' }, '/'],
  ])('refuses %s with 422 and stores nothing', async (_name, input, pointer) => {
    const before = await api.db.sql`SELECT 1 FROM endpoints`;
    const res = await call(api, 'POST', '/api/endpoints', org.key, { url: 'http://127.0.0.1:9/x', ...input });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ pointer })]),
    });
    expect(await api.db.sql`SELECT 1 FROM endpoints`).toHaveLength(before.length);
  });

  it('stores and shows the normalized URL, the one deliveries go to', async () => {
    const created = await call<EndpointJson>(api, 'POST', '/api/endpoints', org.key, {
      url: ' HTTP://LocalHost:80/a/../ho\tok\r\n',
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe('http://localhost/hook');
    const changed = await call<EndpointJson>(api, 'PATCH', `/api/endpoints/${created.body.id}`, org.key, {
      url: 'http://127.0.0.1:4100/p a\nth?q=a b',
    });
    expect(changed.body.url).toBe('http://127.0.0.1:4100/p%20ath?q=a%20b');
    const got = await call<EndpointJson>(api, 'GET', `/api/endpoints/${created.body.id}`, org.key);
    expect(got.body.url).toBe('http://127.0.0.1:4100/p%20ath?q=a%20b');
    const [row] = await api.db.sql<
      { url: string }[]
    >`SELECT url FROM endpoints WHERE id = ${created.body.id}`;
    expect(row!.url).toBe('http://127.0.0.1:4100/p%20ath?q=a%20b');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'http://user:pw@127.0.0.1/x', 'not a url']) {
      const res = await call(api, 'POST', '/api/endpoints', org.key, { url });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'webhook_url_refused', reason: 'invalid_url' });
    }
  });

  it('deletes an endpoint', async () => {
    const { id } = await createEndpoint(api, org.key);
    expect((await call(api, 'DELETE', `/api/endpoints/${id}`, org.key)).status).toBe(204);
    expect((await call(api, 'GET', `/api/endpoints/${id}`, org.key)).status).toBe(404);
    expect((await call(api, 'DELETE', `/api/endpoints/${id}`, org.key)).status).toBe(404);
  });

  it('rotates the secret: a new one is shown once, the old one keeps signing for the grace period', async () => {
    const created = await createEndpoint(api, org.key);
    const before = Date.now();
    const res = await call<EndpointJson>(api, 'POST', `/api/endpoints/${created.id}/rotate-secret`, org.key);
    expect(res.status).toBe(200);
    expect(res.body.secret).toMatch(/^whsec_/);
    expect(res.body.secret).not.toBe(created.secret);
    const expires = Date.parse(res.body.previous_secret_expires_at!);
    expect(expires - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(expires - before).toBeLessThanOrEqual(24 * 3600_000 + 5000);
    const [row] = await api.db.sql<{ secret: string; previous_secret: string }[]>`
      SELECT secret, previous_secret FROM endpoints WHERE id = ${created.id}`;
    expect(row).toEqual({ secret: res.body.secret, previous_secret: created.secret });
  });

  it('pages through endpoints with a cursor', async () => {
    const other = await api.createOrganization();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createEndpoint(api, other.key)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; next_cursor: string | null } } = await call(
        api,
        'GET',
        `/api/endpoints?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        other.key,
      );
      seen.push(...res.body.data.map((e) => e.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('reports deliveries by outcome, the last success and failure, and the circuit state', async () => {
    const endpoint = await createEndpoint(api, org.key, { event_types: ['stats.*'] });
    const events = await sendStoredEvents(api, org.key, [
      { type: 'stats.a' },
      { type: 'stats.b' },
      { type: 'stats.c' },
    ]);
    const ids = await Promise.all(events.map(async (e) => (await deliveriesOf(api, e)).get(endpoint.id)!));
    await setDeliveryState(api, ids[0]!, 'delivered', [{ statusCode: 200 }]);
    await setDeliveryState(api, ids[1]!, 'dead', [
      { statusCode: 502 },
      { statusCode: null, error: 'connect ECONNREFUSED' },
    ]);
    await openCircuitOf(endpoint.id);

    const res = await call<Record<string, unknown>>(
      api,
      'GET',
      `/api/endpoints/${endpoint.id}/stats`,
      org.key,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      endpoint_id: endpoint.id,
      deliveries: { pending: 1, failed: 0, delivered: 1, dead: 1 },
      last_success_at: expect.any(String),
      last_failure: { status_code: null, error: 'connect ECONNREFUSED' },
      circuit: { state: 'open', consecutive_failures: 1 },
    });
    const fresh = await createEndpoint(api, org.key);
    const empty = await call(api, 'GET', `/api/endpoints/${fresh.id}/stats`, org.key);
    expect(empty.body).toMatchObject({
      deliveries: { pending: 0, failed: 0, delivered: 0, dead: 0 },
      last_success_at: null,
      last_failure: null,
      circuit: { state: 'closed' },
    });
  });

  it('closes the circuit and forgets the failure run when an operator re-enables the endpoint', async () => {
    const endpoint = await createEndpoint(api, org.key);
    const breaker = await openCircuitOf(endpoint.id);
    expect(await breaker.read(endpoint.id)).toMatchObject({ state: 'open', failingSince: expect.any(Date) });
    await call(api, 'PATCH', `/api/endpoints/${endpoint.id}`, org.key, { enabled: false });

    const res = await call(api, 'PATCH', `/api/endpoints/${endpoint.id}`, org.key, { enabled: true });
    expect(res.status).toBe(200);
    expect(await breaker.read(endpoint.id)).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      openUntil: null,
      failingSince: null,
    });
    expect(await breaker.check(endpoint.id)).toEqual({ allowed: true, probe: false });
  });

  it('sends a test event to that endpoint alone through the delivery queue', async () => {
    const target = await createEndpoint(api, org.key);
    const bystander = await createEndpoint(api, org.key); // matches every type
    const queue = deliveryQueueOf(api);
    try {
      const res = await call<{ event_id: string; delivery_id: string; queued: boolean }>(
        api,
        'POST',
        `/api/endpoints/${target.id}/test`,
        org.key,
      );
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toBe(`/api/events/${res.body.event_id}`);
      expect(res.body.queued).toBe(true);
      const jobs = await waitingJobs(queue);
      expect(jobs.map((j) => j.data)).toContainEqual({
        deliveryId: res.body.delivery_id,
        eventId: res.body.event_id,
        endpointId: target.id,
        organizationId: org.id,
        replays: 0,
      });
      const deliveries = await deliveriesOf(api, res.body.event_id);
      expect([...deliveries.keys()]).toEqual([target.id]);
      expect(deliveries.has(bystander.id)).toBe(false);
      // Queued at once: no hand-off is left for the sweeper.
      expect(
        await api.db
          .sql`SELECT 1 FROM delivery_handoffs WHERE ${res.body.delivery_id}::uuid = ANY(delivery_ids)`,
      ).toHaveLength(0);
      const event = await call<{ type: string; status: string }>(
        api,
        'GET',
        `/api/events/${res.body.event_id}`,
        org.key,
      );
      expect(event.body).toMatchObject({ type: 'triggers.endpoint.test', status: 'accepted' });
      const inbox = await call<{ data: { id: string }[] }>(api, 'GET', '/api/inbox?limit=1000', org.key);
      expect(inbox.body.data.map((e) => e.id)).not.toContain(res.body.event_id);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('refuses a test event for a disabled endpoint with 409', async () => {
    const { id } = await createEndpoint(api, org.key, { enabled: false });
    const res = await call(api, 'POST', `/api/endpoints/${id}/test`, org.key);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'endpoint_disabled' });
  });
});
