/**
 * How the sink answered one webhook:
 * - ok: 200, fully sent; the receiver processed and acknowledged it.
 * - cut: the receiver processed it and started a 200, but the connection closed mid-response; the
 *   sender cannot know, so it must send again (a duplicate the receiver has to absorb).
 * - hang: never answered (the connection is closed when the sink comes back).
 * - error: 500. throttle: 429 with Retry-After.
 */
export type SinkAnswer = 'ok' | 'cut' | 'hang' | 'error' | 'throttle';

/** One webhook request as the sink's log records it. */
export interface Receipt {
  /** When the sink read the request (its clock). */
  at: number;
  /** `webhook-timestamp` (whole seconds, as ms): when the deliverer signed it, just before sending. */
  sentAt: number;
  webhookId: string;
  /** The event id from the body. */
  eventId: string;
  /** The sink path, i.e. the endpoint. */
  endpoint: string;
  answer: SinkAnswer;
}

/** Whether the receiver's own processing ran for this request (whether or not the sender learnt it). */
export function processed(receipt: Receipt): boolean {
  return receipt.answer === 'ok' || receipt.answer === 'cut';
}

/** Receipts grouped by event id, for the per-round checks. */
export class ReceiptIndex {
  private readonly byEvent = new Map<string, Receipt[]>();

  add(receipt: Receipt): void {
    const list = this.byEvent.get(receipt.eventId);
    if (list) list.push(receipt);
    else this.byEvent.set(receipt.eventId, [receipt]);
  }

  forEvent(eventId: string): readonly Receipt[] {
    return this.byEvent.get(eventId) ?? [];
  }

  eventIds(): IterableIterator<string> {
    return this.byEvent.keys();
  }
}
