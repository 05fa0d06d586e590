// Risk: dead deliveries cannot be found or replayed, a replay is lost or doubled, or a replay runs while Redis is down.
import { createDeliveryWorker, handOffDeliveries } from '@triggers/delivery-queue';
import { startThrowawayRedis } from '@triggers/testing';
import { startTestApi, type TestApi } from './test-api.js';
import {
  call,
  createEndpoint,
  deliveriesOf,
  deliveryQueueOf,
  sendStoredEvents,
  setDeliveryState,
  waitFor,
  waitingJobs,
} from './fixtures.js';

interface DeliveryJson {
  id: string;
  status: string;
  attempts: number;
  endpoint_id: string;
  event_id: string;
  last_status_code: number | null;
  last_error: string | null;
  attempt_history?: { attempt: number; status_code: number | null }[];
}
interface Page {
  data: DeliveryJson[];
  next_cursor: string | null;
  has_more: boolean;
}

/** Events for one endpoint, each with one delivery; returns the delivery ids, oldest first. */
async function deliveriesFor(api: TestApi, key: string, endpointId: string, type: string, n: number) {
  const events = await sendStoredEvents(
    api,
    key,
    Array.from({ length: n }, (_, i) => ({ type, payload: { i } })),
  );
  const rows = await api.db.sql<{ id: string }[]>`
    SELECT id FROM deliveries WHERE endpoint_id = ${endpointId} AND event_id = ANY(${events}::uuid[])
    ORDER BY created_at, id`;
  return rows.map((r) => r.id);
}

interface BulkReplay {
  dry_run: boolean;
  count: number;
  next_cursor: string | null;
  has_more: boolean;
}

async function statusOf(api: TestApi, id: string) {
  const [row] = await api.db.sql<{ status: string; attempts: number; last_error: string | null }[]>`
    SELECT status, attempts, last_error FROM deliveries WHERE id = ${id}`;
  return row!;
}

describe('GET /api/deliveries', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  let a: { id: string };
  let b: { id: string };
  let ids: string[];
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    org = await api.createOrganization();
    a = await createEndpoint(api, org.key, { event_types: ['list.a'] });
    b = await createEndpoint(api, org.key, { event_types: ['list.b'] });
    ids = [
      ...(await deliveriesFor(api, org.key, a.id, 'list.a', 12)),
      ...(await deliveriesFor(api, org.key, b.id, 'list.b', 3)),
    ];
    await setDeliveryState(api, ids[0]!, 'dead', [{ statusCode: 500 }, { statusCode: 500 }]);
    await setDeliveryState(api, ids[13]!, 'dead', [{ statusCode: 404 }]);
    await setDeliveryState(api, ids[1]!, 'delivered', [{ statusCode: 200 }]);
  });
  afterAll(() => api.close());

  const list = (query: string) => call<Page>(api, 'GET', `/api/deliveries?${query}`, org.key);

  it('lists the DLQ (status=dead), by endpoint too', async () => {
    expect((await list('status=dead')).body.data.map((d) => d.id).sort()).toEqual([ids[0], ids[13]].sort());
    expect((await list(`status=dead&endpoint_id=${b.id}`)).body.data.map((d) => d.id)).toEqual([ids[13]]);
    expect((await list(`endpoint_id=${b.id}`)).body.data).toHaveLength(3);
    expect((await list('status=pending')).body.data).toHaveLength(12);
  });

  it('filters by time range and by event', async () => {
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await list(`from=${future}`)).body.data).toEqual([]);
    expect((await list(`to=${future}`)).body.data).toHaveLength(15);
    const one = (await list('limit=1')).body.data[0]!;
    expect((await list(`event_id=${one.event_id}`)).body.data.map((d) => d.id)).toEqual([one.id]);
  });

  it('pages newest first without skipping or repeating', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof list>> = await list(`limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.data.map((d) => d.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('shows one delivery with every attempt', async () => {
    const res = await call<DeliveryJson>(api, 'GET', `/api/deliveries/${ids[0]}`, org.key);
    expect(res.body).toMatchObject({
      id: ids[0],
      status: 'dead',
      attempts: 2,
      attempt_history: [
        { attempt: 1, status_code: 500 },
        { attempt: 2, status_code: 500 },
      ],
    });
  });

  it('answers 404 for an endpoint filter naming an unknown endpoint, 400 for a bad status', async () => {
    expect((await list('endpoint_id=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await list('status=gone')).status).toBe(400);
  });
});

describe('replaying deliveries', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  let endpoint: { id: string };
  const queue = () => deliveryQueueOf(api);
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true', RATE_LIMIT_PER_SECOND: '100000' });
    org = await api.createOrganization();
    endpoint = await createEndpoint(api, org.key, { event_types: ['replay.*'] });
  });
  afterAll(() => api.close());

  /** Which of `ids` are pending, in the order given. */
  async function pendingAmong(ids: string[]) {
    const rows = await api.db.sql<{ id: string }[]>`
      SELECT id FROM deliveries WHERE id = ANY(${ids}::uuid[]) AND status = 'pending'`;
    const pending = new Set(rows.map((r) => r.id));
    return ids.filter((id) => pending.has(id));
  }

  it('replays a dead delivery: a new run under the same id, queued for the deliverer', async () => {
    const [id] = await deliveriesFor(api, org.key, endpoint.id, 'replay.one', 1);
    await setDeliveryState(api, id!, 'dead', [{ statusCode: 500 }, { statusCode: null, error: 'timeout' }]);
    const q = queue();
    try {
      const res = await call<DeliveryJson>(api, 'POST', `/api/deliveries/${id}/replay`, org.key);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        id,
        status: 'pending',
        attempts: 0,
        last_status_code: null,
        last_error: null,
      });
      const jobs = (await waitingJobs(q)).filter((j) => j.data.deliveryId === id);
      expect(jobs).toHaveLength(1);
      // The replay's own job id (the delivery id and the replay's number), which the deliverer's
      // reconciler can find, and its run number, without which the deliverer would skip it.
      expect(jobs[0]!.id).toBe(`${id}-replay-1`);
      expect(jobs[0]!.data.replays).toBe(1);
      // The history of the first run is kept.
      const detail = await call<DeliveryJson>(api, 'GET', `/api/deliveries/${id}`, org.key);
      expect(detail.body.attempt_history).toHaveLength(2);
    } finally {
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it('queues a replay made while the delivery’s finished job is still active, under a job of its own', async () => {
    const [id] = await deliveriesFor(api, org.key, endpoint.id, 'replay.racing', 1);
    const [d] = await api.db.sql<{ event_id: string }[]>`SELECT event_id FROM deliveries WHERE id = ${id!}`;
    const q = queue();
    // Through the API's own producer: the job options (removed on completion) of every delivery job.
    await handOffDeliveries(api.service.deliveryQueue, [
      { id: id!, eventId: d!.event_id, endpointId: endpoint.id, organizationId: org.id },
    ]);
    // A worker takes the job and, like the deliverer, records the delivery as delivered before its
    // job completes; the replay lands in between.
    let finish!: () => void;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    let taken!: () => void;
    const isTaken = new Promise<void>((resolve) => (taken = resolve));
    const worker = createDeliveryWorker(
      api.config.redis.keyPrefix,
      async () => {
        await setDeliveryState(api, id!, 'delivered', [{ statusCode: 200 }]);
        taken();
        await finishing;
      },
      { connection: { url: api.config.redis.url } },
    );
    try {
      await isTaken;
      expect(await (await q.getJob(id!))!.getState()).toBe('active');
      expect((await call(api, 'POST', `/api/deliveries/${id}/replay`, org.key)).status).toBe(202);
      await worker.pause(true);
      finish();
      await waitFor(async () => (await q.getJob(id!)) === undefined, 5000, 'the finished job removed');
      const live = (await waitingJobs(q)).filter((j) => j.data.deliveryId === id);
      expect(live.map((j) => [j.id, j.data.replays])).toEqual([[`${id}-replay-1`, 1]]);
    } finally {
      finish();
      await worker.close();
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it('replays a delivered delivery (send again)', async () => {
    const [id] = await deliveriesFor(api, org.key, endpoint.id, 'replay.again', 1);
    await setDeliveryState(api, id!, 'delivered', [{ statusCode: 200 }]);
    expect((await call(api, 'POST', `/api/deliveries/${id}/replay`, org.key)).status).toBe(202);
    expect((await statusOf(api, id!)).status).toBe('pending');
  });

  it('answers 409 replay_conflict for a pending or failed delivery, changing nothing', async () => {
    const [pending, failed] = await deliveriesFor(api, org.key, endpoint.id, 'replay.busy', 2);
    await setDeliveryState(api, failed!, 'failed', [{ statusCode: 503 }]);
    for (const [id, status] of [
      [pending!, 'pending'],
      [failed!, 'failed'],
    ] as const) {
      const res = await call(api, 'POST', `/api/deliveries/${id}/replay`, org.key);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'replay_conflict', delivery_status: status });
    }
    expect(await statusOf(api, failed!)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('lets only one of two concurrent replays of a delivery through', async () => {
    const [id] = await deliveriesFor(api, org.key, endpoint.id, 'replay.race', 1);
    await setDeliveryState(api, id!, 'dead', [{ statusCode: 500 }]);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => call(api, 'POST', `/api/deliveries/${id}/replay`, org.key)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409]);
  });

  it('counts with a dry run, then replays by filter one bounded chunk per call, followed by its cursor, each delivery once', async () => {
    const other = await createEndpoint(api, org.key, { event_types: ['bulk.other'] });
    const ids = await deliveriesFor(api, org.key, endpoint.id, 'replay.bulk', 1203);
    const untouched = await deliveriesFor(api, org.key, other.id, 'bulk.other', 2);
    await api.db.sql`UPDATE deliveries SET status = 'dead', attempts = 5, last_error = 'HTTP 500'
      WHERE id = ANY(${[...ids, ...untouched]}::uuid[])`;
    const filter = { status: 'dead', endpoint_id: endpoint.id };
    const dry = await call(api, 'POST', '/api/deliveries/replay', org.key, { ...filter, dry_run: true });
    expect(dry.body).toEqual({ dry_run: true, count: 1203, next_cursor: null, has_more: false });
    expect((await statusOf(api, ids[0]!)).status).toBe('dead');

    const q = queue();
    try {
      // Without a limit a call replays 1,000 at most; then as many as asked, oldest first.
      const first = await call<BulkReplay>(api, 'POST', '/api/deliveries/replay', org.key, filter);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ dry_run: false, count: 1000, has_more: true });
      expect(await pendingAmong(ids)).toEqual(ids.slice(0, 1000));
      // The rest of the walk is counted from the cursor on.
      const left = await call(api, 'POST', '/api/deliveries/replay', org.key, {
        ...filter,
        cursor: first.body.next_cursor,
        dry_run: true,
      });
      expect(left.body).toMatchObject({ count: 203 });
      const second = await call<BulkReplay>(api, 'POST', '/api/deliveries/replay', org.key, {
        ...filter,
        cursor: first.body.next_cursor,
        limit: 200,
      });
      expect(second.body).toMatchObject({ count: 200, has_more: true });
      expect(await pendingAmong(ids)).toEqual(ids.slice(0, 1200));
      const third = await call<BulkReplay>(api, 'POST', '/api/deliveries/replay', org.key, {
        ...filter,
        cursor: second.body.next_cursor,
        limit: 200,
      });
      expect(third.body).toEqual({ dry_run: false, count: 3, next_cursor: null, has_more: false });

      const [counts] = await api.db.sql<{ pending: number; dead: number }[]>`
        SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
               count(*) FILTER (WHERE status = 'dead')::int AS dead
        FROM deliveries WHERE id = ANY(${[...ids, ...untouched]}::uuid[])`;
      expect(counts).toEqual({ pending: 1203, dead: 2 });
      const jobs = (await waitingJobs(q)).map((j) => j.data.deliveryId).filter((d) => ids.includes(d));
      expect(jobs).toHaveLength(1203);
      expect(new Set(jobs).size).toBe(1203);
      expect((await call(api, 'POST', '/api/deliveries/replay', org.key, filter)).body).toEqual({
        dry_run: false,
        count: 0,
        next_cursor: null,
        has_more: false,
      });
    } finally {
      await q.obliterate({ force: true });
      await q.close();
    }
  }, 30_000);

  it('refuses a cursor that is not a bulk replay’s with 422', async () => {
    const res = await call(api, 'POST', '/api/deliveries/replay', org.key, { cursor: 'bm90LWEtY3Vyc29y' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '/cursor' }] });
  });

  it('replays by time range and status delivered', async () => {
    const ids = await deliveriesFor(api, org.key, endpoint.id, 'replay.window', 3);
    for (const [i, id] of ids.entries()) {
      await setDeliveryState(api, id, 'delivered', [{ statusCode: 200 }]);
      await api.db
        .sql`UPDATE deliveries SET created_at = '2026-01-01T00:00:00Z'::timestamptz + make_interval(hours => ${i}) WHERE id = ${id}`;
    }
    const res = await call(api, 'POST', '/api/deliveries/replay', org.key, {
      status: 'delivered',
      from: '2026-01-01T01:00:00Z',
      to: '2026-01-01T02:00:00Z',
      dry_run: true,
    });
    expect(res.body).toMatchObject({ count: 1 });
    const replayed = await call(api, 'POST', '/api/deliveries/replay', org.key, {
      status: 'delivered',
      from: '2026-01-01T01:00:00Z',
    });
    expect(replayed.body).toMatchObject({ dry_run: false, count: 2, has_more: false });
    expect((await statusOf(api, ids[0]!)).status).toBe('delivered');
    expect((await statusOf(api, ids[2]!)).status).toBe('pending');
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(
      (await call(api, 'POST', '/api/deliveries/replay', org.key, { status: 'delivered', from: future }))
        .body,
    ).toMatchObject({ dry_run: false, count: 0 });
  });

  it('refuses to replay pending deliveries in bulk (only dead or delivered)', async () => {
    const res = await call(api, 'POST', '/api/deliveries/replay', org.key, { status: 'pending' });
    expect(res.status).toBe(422);
  });
});

describe('replaying while Redis is down', () => {
  let api: TestApi;
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  let org: { id: string; key: string };
  beforeAll(async () => {
    redis = await startThrowawayRedis();
    api = await startTestApi({ REDIS_URL: redis.url, ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    org = await api.createOrganization();
  });
  afterAll(async () => {
    await api.close();
    await redis.destroy();
  });

  it('answers 503 with Retry-After and leaves the deliveries as they were', async () => {
    const endpoint = await createEndpoint(api, org.key, { event_types: ['down.*'] });
    const events = await sendStoredEvents(api, org.key, [{ type: 'down.a' }, { type: 'down.b' }]);
    const ids = await Promise.all(events.map(async (e) => (await deliveriesOf(api, e)).get(endpoint.id)!));
    for (const id of ids) await setDeliveryState(api, id, 'dead', [{ statusCode: 500 }, { statusCode: 502 }]);

    await redis.kill();
    const one = await call(api, 'POST', `/api/deliveries/${ids[0]}/replay`, org.key);
    expect(one.status).toBe(503);
    expect(Number(one.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(one.body).toMatchObject({ code: 'service_unavailable' });
    const bulk = await call(api, 'POST', '/api/deliveries/replay', org.key, { endpoint_id: endpoint.id });
    expect(bulk.status).toBe(503);
    for (const id of ids) {
      expect(await statusOf(api, id)).toEqual({ status: 'dead', attempts: 2, last_error: null });
    }
    const [row] = await api.db.sql<
      { last_status_code: number }[]
    >`SELECT last_status_code FROM deliveries WHERE id = ${ids[0]!}`;
    expect(row!.last_status_code).toBe(502);
    const stats = await call(api, 'GET', `/api/endpoints/${endpoint.id}/stats`, org.key);
    expect(stats.body).toMatchObject({ circuit: { state: 'unknown' } });
  });
});
