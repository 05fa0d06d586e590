import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { deleteHandoff, insertEndpointTestEvent, type Database, type Endpoint } from '@triggers/db';
import { REQUEST_ADD_TIMEOUT_MS, handOffDeliveries, type DeliveryQueue } from '@triggers/delivery-queue';
import type { Logger } from '@triggers/runtime';

/** The type of the events `POST /api/endpoints/:id/test` sends. */
export const TEST_EVENT_TYPE = 'triggers.endpoint.test';

/**
 * Sends a test event to one endpoint through the normal delivery pipeline: an event and its
 * delivery are stored with a hand-off row, then the job is queued for the deliverer, which signs
 * and sends it like any other. Should Redis be down, the processor's sweeper queues it later.
 */
export async function sendTestEvent(
  deps: { db: Kysely<Database>; deliveryQueue: DeliveryQueue; log: Logger },
  endpoint: Endpoint,
): Promise<{ eventId: string; deliveryId: string; queued: boolean }> {
  const created = await insertEndpointTestEvent(deps.db, {
    id: uuidv7(),
    organizationId: endpoint.organizationId,
    endpointId: endpoint.id,
    type: TEST_EVENT_TYPE,
    payload: { endpoint_id: endpoint.id, message: 'A test event sent by Triggers.' },
  });
  const delivery = {
    id: created.deliveryId,
    eventId: created.eventId,
    endpointId: endpoint.id,
    organizationId: endpoint.organizationId,
  };
  try {
    await handOffDeliveries(deps.deliveryQueue, [delivery], { timeoutMs: REQUEST_ADD_TIMEOUT_MS });
    await deleteHandoff(deps.db, created.handoffId);
    return { eventId: created.eventId, deliveryId: created.deliveryId, queued: true };
  } catch (err) {
    deps.log.warn(
      { err, deliveryId: created.deliveryId },
      'test event stored; its job waits for the sweeper',
    );
    return { eventId: created.eventId, deliveryId: created.deliveryId, queued: false };
  }
}
