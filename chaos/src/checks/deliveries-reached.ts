import { matchingEndpoints } from '../load/event-mix.js';
import type { ReceiptIndex } from '../sink/receipts.js';
import type { StoredEvent } from './events-stored.js';

export interface DeliveriesCheck {
  /** (event, endpoint) pairs that must reach the sink. */
  expected: number;
  /** Pairs the sink never answered 200 to. */
  missing: number;
  missingSamples: string[];
}

/** Webhooks for events that are not among `stored`: the sink must see nothing the load did not cause. */
export function countUnexpectedReceipts(stored: readonly StoredEvent[], receipts: ReceiptIndex): number {
  const known = new Set(stored.map((e) => e.id));
  let unexpected = 0;
  for (const eventId of receipts.eventIds())
    if (!known.has(eventId)) unexpected += receipts.forEvent(eventId).length;
  return unexpected;
}

/**
 * Every stored event must have reached (and been acknowledged by) each endpoint whose filter
 * matches its type at least once. Expected pairs come from the event types and the filters, the
 * evidence from the sink's log: the database is not trusted to say what was delivered.
 */
export function checkDeliveriesReached(
  stored: readonly StoredEvent[],
  receipts: ReceiptIndex,
): DeliveriesCheck {
  const result: DeliveriesCheck = { expected: 0, missing: 0, missingSamples: [] };
  for (const event of stored) {
    const seen = new Set(
      receipts
        .forEvent(event.id)
        .filter((r) => r.answer === 'ok')
        .map((r) => r.endpoint),
    );
    for (const endpoint of matchingEndpoints(event.type)) {
      result.expected += 1;
      if (!seen.has(endpoint)) {
        result.missing += 1;
        if (result.missingSamples.length < 5) result.missingSamples.push(`${event.id} → ${endpoint}`);
      }
    }
  }
  return result;
}
