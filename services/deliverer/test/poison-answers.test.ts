// Risk: one organization's receiver answers with what Postgres cannot store, the shared attempt
// record fails, and every other organization's webhook in that batch is sent again.
import { startWebhookReceiver, type WebhookReceiver } from '@triggers/testing';
import { createDeliveryWorld, waitFor, type DeliveryWorld } from './test-deliverer.js';

/** A 200 whose body has NUL bytes and bytes that are not UTF-8. */
const POISON_BODY = Buffer.concat([
  Buffer.from('ok\u0000'),
  Buffer.from([0xff, 0xfe, 0xc3]),
  Buffer.from(' end\u0000'),
]);

describe('attempts of a receiver whose answer Postgres cannot store', () => {
  let world: DeliveryWorld;
  let victim: WebhookReceiver;
  let attacker: WebhookReceiver;
  let attackerOrg: string;
  beforeEach(async () => {
    world = await createDeliveryWorld();
    victim = await startWebhookReceiver(() => ({ status: 200, body: 'thanks' }));
    attacker = await startWebhookReceiver(() => ({ status: 200, body: POISON_BODY }));
    attackerOrg = await world.createOrganization();
    await world.createEndpoint(victim.url);
    await world.createEndpoint(attacker.url, { organizationId: attackerOrg });
  });
  afterEach(async () => {
    await world.close();
    await victim.close();
    await attacker.close();
  });

  /** Both organizations' events, published before the deliverer starts so that their jobs mix. */
  async function publishBoth(count: number) {
    const attackerIds = await world.publish(count, 'order.created', attackerOrg);
    const victimIds = await world.publish(count);
    return { attackerIds, victimIds, all: [...attackerIds, ...victimIds] };
  }

  async function settled(ids: string[]): Promise<number> {
    const rows = await world.db.sql`
      SELECT 1 FROM deliveries WHERE id = ANY(${ids}::uuid[]) AND status IN ('delivered', 'dead')`;
    return rows.length;
  }

  /** Waits until every delivery settled, and a little longer: a duplicate send would come after. */
  async function settle(ids: string[]) {
    await waitFor(async () => (await settled(ids)) === ids.length, 20_000, 'deliveries settled');
    await new Promise((r) => setTimeout(r, 750));
  }

  function expectEachOnce(receiver: WebhookReceiver, count: number) {
    const webhookIds = receiver.received.map((r) => r.headers['webhook-id']);
    expect(webhookIds).toHaveLength(count);
    expect(new Set(webhookIds).size).toBe(count);
  }

  it('records the body escaped, in the batch it shared with another organization, and sends every webhook exactly once', async () => {
    const { attackerIds, victimIds, all } = await publishBoth(40);
    await world.startDeliverer({ CONCURRENCY: '50' });
    await settle(all);

    expectEachOnce(victim, 40);
    expectEachOnce(attacker, 40);
    const attempts = await world.db.sql<
      { delivery_id: string; organization_id: string; response_body: string | null; tx: string }[]
    >`
      SELECT delivery_id, organization_id, response_body, xmin::text AS tx
      FROM delivery_attempts WHERE delivery_id = ANY(${all}::uuid[])`;
    // One attempt per delivery, every one delivered.
    expect(attempts).toHaveLength(80);
    expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(80);
    expect(await settled(all)).toBe(80);
    const attackerAttempts = attempts.filter((a) => attackerIds.includes(a.delivery_id));
    for (const a of attackerAttempts) expect(a.response_body).toBe('ok\\u0000\uFFFD\uFFFD\uFFFD end\\u0000');
    for (const a of attempts.filter((a) => victimIds.includes(a.delivery_id)))
      expect(a.response_body).toBe('thanks');
    // The situation under test happened: some attempt of each organization was written by the same
    // statement (one transaction) as one of the other's.
    const victimTx = new Set(attempts.filter((a) => victimIds.includes(a.delivery_id)).map((a) => a.tx));
    expect(attackerAttempts.some((a) => victimTx.has(a.tx))).toBe(true);
  }, 40_000);

  describe('when Postgres refuses a record anyway', () => {
    beforeEach(async () => {
      // Stands for a value we do not know Postgres refuses yet: refused inside the shared INSERT.
      await world.db.sql.unsafe(`
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.response_body LIKE 'ok%' THEN RAISE EXCEPTION 'poison' USING ERRCODE = '22023'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poison BEFORE INSERT ON delivery_attempts FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
    });

    it('records that attempt without its texts, fails no other delivery, and sends nothing twice', async () => {
      const { attackerIds, all } = await publishBoth(40);
      await world.startDeliverer({ CONCURRENCY: '50' });
      await settle(all);

      expectEachOnce(victim, 40);
      expectEachOnce(attacker, 40);
      const attempts = await world.db.sql<
        { delivery_id: string; status_code: number; response_body: string | null }[]
      >`
        SELECT delivery_id, status_code, response_body FROM delivery_attempts WHERE delivery_id = ANY(${all}::uuid[])`;
      expect(attempts).toHaveLength(80);
      for (const a of attempts) {
        const refused = attackerIds.includes(a.delivery_id);
        expect(a).toMatchObject({ status_code: 200, response_body: refused ? null : 'thanks' });
      }
      const delivered = await world.db.sql`
        SELECT 1 FROM deliveries WHERE id = ANY(${all}::uuid[]) AND status = 'delivered'`;
      expect(delivered).toHaveLength(80);
    }, 40_000);
  });

  it('drops a job whose delivery id is not a uuid, delivering the others loaded with it', async () => {
    const victimIds = await world.publish(20);
    const bad = await world
      .jobsQueue()
      .add('deliver', { deliveryId: 'not-a-uuid', eventId: 'x', endpointId: 'y', organizationId: 'z' });
    await world.startDeliverer({ CONCURRENCY: '50' });
    await settle(victimIds);
    expectEachOnce(victim, 20);
    // Completed at its first run: not failed, not waiting for a retry.
    expect(await bad.getState()).toBe('completed');
  }, 30_000);
});
