import { DELIVERER_REQUEST_TIMEOUT_MS } from '../cluster/service-env.js';
import type { FaultWindow } from '../faults/fault.js';
import { processed, type Receipt, type ReceiptIndex } from '../sink/receipts.js';

export interface DuplicatesCheck {
  /** Webhooks the receiver processed again after having processed them once. */
  duplicates: number;
  /**
   * Processed webhooks whose acknowledgement may have been lost: cut mid-response, processed while
   * a fault was under way (within the margins), or processed late. Each can cause one duplicate.
   */
  bound: number;
  /** Of those, processed when the deliverer may already have timed out (the receiver was slow). */
  late: number;
  /** Duplicates not explained by an earlier processing in flight at a fault: must be none. */
  unexplained: number;
  /** (event, endpoint) pairs that arrived under more than one webhook-id: receivers could not deduplicate them. */
  idChanges: number;
  samples: string[];
}

/**
 * A webhook still in flight when a fault hits can be acknowledged by the receiver without the
 * deliverer recording it: a deliverer killed between the answer and its write, Postgres gone just
 * then, a connection cut mid-response. So can one the receiver reads after the deliverer's
 * timeout (a receiver slowed down by a busy machine): `webhook-timestamp` tells, to the second.
 */
export const IN_FLIGHT_MARGIN = { beforeMs: 2000, afterMs: 5000, timeoutMs: DELIVERER_REQUEST_TIMEOUT_MS };

/**
 * Receivers may see a webhook twice only when its first processing was in flight at a fault (or
 * came after the deliverer's timeout).
 * Counted per (event, endpoint), and each pair must keep one webhook-id.
 */
export function checkDuplicates(
  eventIds: Iterable<string>,
  receipts: ReceiptIndex,
  windows: readonly FaultWindow[],
  margin = IN_FLIGHT_MARGIN,
): DuplicatesCheck {
  const late = (r: Receipt) => r.sentAt > 0 && r.at - r.sentAt >= margin.timeoutMs;
  const inFlight = (r: Receipt) =>
    r.answer === 'cut' ||
    late(r) ||
    windows.some((w) => r.at >= w.start - margin.beforeMs && r.at <= w.end + margin.afterMs);
  const result: DuplicatesCheck = {
    duplicates: 0,
    bound: 0,
    late: 0,
    unexplained: 0,
    idChanges: 0,
    samples: [],
  };
  for (const eventId of eventIds) {
    const byEndpoint = new Map<string, Receipt[]>();
    for (const receipt of receipts.forEvent(eventId)) {
      const list = byEndpoint.get(receipt.endpoint) ?? [];
      list.push(receipt);
      byEndpoint.set(receipt.endpoint, list);
    }
    for (const [endpoint, all] of byEndpoint) {
      if (new Set(all.map((r) => r.webhookId)).size > 1) {
        result.idChanges += 1;
        if (result.samples.length < 5) result.samples.push(`${eventId} → ${endpoint}: webhook-id changed`);
      }
      const done = all.filter(processed).sort((a, b) => a.at - b.at);
      result.bound += done.filter(inFlight).length;
      result.late += done.filter(late).length;
      // Every processing but the last was followed by another one: each needs an excuse.
      for (const earlier of done.slice(0, -1)) {
        result.duplicates += 1;
        if (!inFlight(earlier)) {
          result.unexplained += 1;
          if (result.samples.length < 5)
            result.samples.push(
              `${earlier.webhookId} (${eventId} → ${endpoint}) processed at ${new Date(earlier.at).toISOString()} and again`,
            );
        }
      }
    }
  }
  return result;
}
