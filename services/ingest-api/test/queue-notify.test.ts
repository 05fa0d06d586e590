// Risk: events are committed but the processors are never told, and wait for their next idle poll
// (up to a second) instead of storing the events within milliseconds.
import { EVENT_QUEUE_CHANNEL } from '@triggers/db';
import { post, startTestApi, type TestApi } from './test-api.js';

describe('telling the processors about committed events', () => {
  let api: TestApi;
  let key: string;
  const heard: number[] = [];
  let unlisten: () => Promise<void>;
  beforeAll(async () => {
    api = await startTestApi({ QUEUE_NOTIFY_INTERVAL_MS: '50' });
    key = (await api.createOrganization()).key;
    ({ unlisten } = await api.db.sql.listen(EVENT_QUEUE_CHANNEL, () => heard.push(performance.now())));
  });
  afterAll(async () => {
    await unlisten();
    await api.close();
  });

  async function waitForNotifications(count: number): Promise<void> {
    for (let i = 0; i < 100 && heard.length < count; i += 1) await new Promise((r) => setTimeout(r, 20));
  }

  it('notifies once an accepted event is committed', async () => {
    heard.length = 0;
    const res = await post(api, '/api/events', key, { type: 'order.created', payload: {} });
    expect(res.status).toBe(202);
    await waitForNotifications(1);
    expect(heard).toHaveLength(1);
  });

  it('folds a stream of commits into at most one notification per interval', async () => {
    await new Promise((r) => setTimeout(r, 100)); // a quiet spell
    heard.length = 0;
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) {
      // One after the other: each request is a commit of its own.
      expect((await post(api, '/api/events', key, { type: 'order.created', payload: { i } })).status).toBe(
        202,
      );
    }
    const elapsed = performance.now() - started;
    await new Promise((r) => setTimeout(r, 150)); // the trailing notification
    expect(heard.length).toBeGreaterThanOrEqual(1);
    // One at once, then one per 50 ms interval that saw commits, the last one trailing.
    expect(heard.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 50));
    expect(heard.length).toBeLessThan(20);
  });

  it('sends nothing for a request that stored nothing (a duplicate)', async () => {
    const event = { type: 'order.created', payload: {}, dedup_id: 'notify-dup' };
    expect((await post(api, '/api/events', key, event)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 150)); // past the interval and its trailing notification
    heard.length = 0;
    expect((await post(api, '/api/events', key, event)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(heard).toEqual([]);
  });
});
