// Risk: the API answers 202 for an event that is not committed (invariant 1: 202 means durable).
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { createTestDatabase, startThrowawayPostgres, type TestDatabase } from '@triggers/testing';
import { anEvent, post, startTestApi, type TestApi } from './test-api.js';

interface Outcome {
  dedupId: string;
  status: number;
  id?: string;
  retryAfter: string | null;
  contentType: string | null;
}

describe('202 means durable', () => {
  let pg: Awaited<ReturnType<typeof startThrowawayPostgres>>;
  let db: TestDatabase;
  let api: TestApi;
  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    db = await createTestDatabase({ serverUrl: pg.url() });
    api = await startTestApi({ DATABASE_URL: db.url, GROUP_COMMIT_TIMEOUT_MS: '2000' }, db);
  }, 60_000);
  afterAll(async () => {
    if (!pg.isRunning()) await pg.start();
    await api.close();
    await db.close();
    await pg.destroy();
  }, 30_000);

  it('answers 503 with Retry-After while Postgres is down, and every 202 it gave has its row', async () => {
    const org = await api.createOrganization({ rateLimitPerSecond: 1_000_000 });
    const outcomes: Outcome[] = [];
    let sending = true;
    const sender = async () => {
      while (sending) {
        const dedupId = randomUUID();
        try {
          const res = await post(api, '/api/events', org.key, anEvent({ dedup_id: dedupId }));
          const body = (await res.json()) as { id?: string };
          outcomes.push({
            dedupId,
            status: res.status,
            id: body.id,
            retryAfter: res.headers.get('retry-after'),
            contentType: res.headers.get('content-type'),
          });
        } catch {
          outcomes.push({ dedupId, status: 0, retryAfter: null, contentType: null });
        }
      }
    };
    const senders = Array.from({ length: 20 }, sender);

    // Let a good number of events through first, so that the crash lands in the middle of the flow.
    for (
      let waited = 0;
      outcomes.filter((o) => o.status === 202).length < 100 && waited < 20_000;
      waited += 50
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await pg.kill(); // a crash, mid-flight: no clean shutdown, connections cut
    await new Promise((r) => setTimeout(r, 1500));
    sending = false;
    await Promise.all(senders);

    const accepted = outcomes.filter((o) => o.status === 202);
    const unavailable = outcomes.filter((o) => o.status === 503);
    expect(accepted.length).toBeGreaterThanOrEqual(100);
    expect(unavailable.length).toBeGreaterThan(0);
    // Nothing else: no 500, no hang, no dropped connection.
    expect(outcomes.filter((o) => o.status !== 202 && o.status !== 503)).toEqual([]);
    for (const o of unavailable) {
      expect(o.retryAfter).toBe('1');
      expect(o.contentType).toMatch(/application\/problem\+json/);
    }

    await pg.start();
    const check = postgres(db.url, { max: 1 });
    try {
      const ids = accepted.map((o) => o.id!);
      const rows = await check<{ id: string }[]>`SELECT id FROM event_queue WHERE id = ANY(${ids}::uuid[])`;
      expect(rows.length).toBe(accepted.length);
    } finally {
      await check.end();
    }

    // And the API recovers by itself once Postgres is back.
    let status = 0;
    for (let i = 0; i < 50 && status !== 202; i++) {
      status = (await post(api, '/api/events', org.key, anEvent())).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(202);
  }, 60_000);
});
