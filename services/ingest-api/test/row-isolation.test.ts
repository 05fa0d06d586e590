// Risk: one organization's poison event fails the other organizations' requests that share its
// group-commit flush, answers 503, or pages the on-call as unavailability.
import postgres from 'postgres';
import { EVENT_QUEUE_CHANNEL, UNSTORABLE_DATE_MESSAGE } from '@triggers/db';
import { anEvent, metricValue, post, startTestApi, type TestApi } from './test-api.js';

const FLUSHES = 'triggers_group_commit_batch_rows_count';

describe('row isolation in the group commit', () => {
  let api: TestApi;
  let victim: { id: string; key: string };
  let attacker: { id: string; key: string };
  beforeAll(async () => {
    // A long flush window and cached keys: concurrent requests of both organizations share one INSERT.
    api = await startTestApi({ GROUP_COMMIT_MAX_WAIT_MS: '100', API_KEY_CACHE_TTL_MS: '60000' });
    victim = await api.createOrganization();
    attacker = await api.createOrganization();
    // Warm the key cache, so that no request of a round waits for its key while the others flush.
    for (const org of [victim, attacker])
      expect((await post(api, '/api/events', org.key, anEvent())).status).toBe(202);
  });
  afterAll(() => api.close());

  /** triggers_group_commit_failures_total of one kind. */
  async function failures(kind: 'unavailable' | 'data'): Promise<number> {
    const metric = await api.service.registry.getSingleMetric('triggers_group_commit_failures_total')?.get();
    return metric?.values.find((v) => v.labels.kind === kind)?.value ?? 0;
  }

  /**
   * The attacker's request and the victim's, sent together; repeated (at most 3 times) until all of
   * them went out in one flush, which is the situation under test.
   */
  async function sendTogether(attack: () => Promise<Response>, victims = 10) {
    for (let round = 1; ; round++) {
      const flushesBefore = await metricValue(api, FLUSHES);
      const [attackRes, ...victimRes] = await Promise.all([
        attack(),
        ...Array.from({ length: victims }, (_, i) =>
          post(api, '/api/events', victim.key, anEvent({ payload: { round, i } })),
        ),
      ]);
      const flushes = (await metricValue(api, FLUSHES)) - flushesBefore;
      if (flushes === 1 || round === 3) {
        expect(flushes).toBe(1);
        return { attack: attackRes!, victims: victimRes };
      }
    }
  }

  async function expectVictimsStored(responses: Response[]) {
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 202));
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
    const stored = await api.db.sql`SELECT 1 FROM event_queue WHERE id = ANY(${ids}::uuid[])`;
    expect(stored).toHaveLength(ids.length);
  }

  it.each([
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['year 0 (an offset before year 1)', '0000-01-01T00:00:00+01:00'],
    ['year 10000 (an offset past 9999)', '9999-12-31T23:59:59-01:00'],
  ])(
    'answers an occurred_at that is %s 422 with its pointer before it reaches the flush, while the other organization’s events sent with it are stored',
    async (_what, occurredAt) => {
      const unavailableBefore = await failures('unavailable');
      const { attack, victims } = await sendTogether(() =>
        post(api, '/api/events', attacker.key, anEvent({ occurred_at: occurredAt })),
      );
      expect(attack.status).toBe(422);
      expect(await attack.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ pointer: '/occurred_at', message: UNSTORABLE_DATE_MESSAGE }],
      });
      await expectVictimsStored(victims);
      expect(await failures('unavailable')).toBe(unavailableBefore);
    },
  );

  it.each([
    ['a NUL in type', { type: 'order\u0000created' }, '/type'],
    ['a lone surrogate in dedup_id', { dedup_id: 'key-\ud800' }, '/dedup_id'],
    ['a NUL in dedup_id', { dedup_id: 'key-\u0000' }, '/dedup_id'],
  ])('answers %s 422 with its pointer, storing nothing', async (_what, overrides, pointer) => {
    const res = await post(api, '/api/events', attacker.key, anEvent(overrides));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 'validation_failed', errors: [{ pointer }] });
  });

  it('rejects only the poison items of a batch (207), storing the others', async () => {
    const res = await post(api, '/api/events/batch', attacker.key, {
      events: [
        anEvent({ dedup_id: 'batch-ok-1' }),
        anEvent({ occurred_at: '2026-12-31T23:59:60Z' }),
        anEvent({ type: 'order\u0000created' }),
        anEvent({ dedup_id: 'batch-ok-2' }),
      ],
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: number; results: unknown[] };
    expect(body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(body.results[1]).toMatchObject({
      status: 'rejected',
      errors: [{ pointer: '/events/1/occurred_at', message: UNSTORABLE_DATE_MESSAGE }],
    });
    expect(body.results[2]).toMatchObject({ status: 'rejected', errors: [{ pointer: '/events/2/type' }] });
    const stored = await api.db.sql`
      SELECT 1 FROM event_queue WHERE organization_id = ${attacker.id} AND dedup_id LIKE 'batch-ok-%'`;
    expect(stored).toHaveLength(2);
  });

  describe('a row Postgres refuses in the shared INSERT', () => {
    let listener: postgres.Sql;
    beforeAll(async () => {
      // Validation now refuses every value we know Postgres would: this trigger stands for the
      // next one we do not know yet, refused by Postgres itself inside the shared statement.
      await api.db.sql.unsafe(`
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'poison.row' THEN RAISE EXCEPTION 'poison row' USING ERRCODE = '22023'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poison BEFORE INSERT ON event_queue FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
      listener = postgres(api.db.url, { max: 1, onnotice: () => {} });
    });
    afterAll(async () => {
      await listener.end();
      await api.db.sql.unsafe(`DROP TRIGGER refuse_poison ON event_queue; DROP FUNCTION refuse_poison();`);
    });

    it('fails only the request carrying it (422); the others commit from the same flush, and are announced', async () => {
      const unavailableBefore = await failures('unavailable');
      const refusedBefore = await failures('data');
      let notified = 0;
      await listener.listen(EVENT_QUEUE_CHANNEL, () => notified++);

      const { attack, victims } = await sendTogether(() =>
        post(api, '/api/events', attacker.key, anEvent({ type: 'poison.row' })),
      );
      expect(attack.status).toBe(422);
      expect(await attack.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ pointer: '/', message: 'the database refused this event' }],
      });
      await expectVictimsStored(victims);
      expect(await failures('unavailable')).toBe(unavailableBefore);
      expect(await failures('data')).toBe(refusedBefore + 1);
      const stored = await api.db.sql`SELECT 1 FROM event_queue WHERE type = 'poison.row'`;
      expect(stored).toHaveLength(0);
      // The processors hear of the rows committed by the isolating write.
      const deadline = Date.now() + 2000;
      while (notified === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(notified).toBeGreaterThan(0);
    });
  });
});
