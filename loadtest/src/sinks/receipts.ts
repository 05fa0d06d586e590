/** What the counting sink remembers of the webhooks it received. */
export interface ReceiptLog {
  /** Records one webhook; `at` is the wall clock in ms (sub-ms precision). */
  record: (webhookId: string, body: string, at: number) => void;
  stats: () => SinkCounts;
  /** [event id, first receipt time] of every event received, in arrival order. */
  receipts: () => [string, number][];
  /** Latencies (ms) computed from `payload.sent_at_ms` of the bodies that had one, from index `from`. */
  latencies: (from: number) => number[];
  reset: () => void;
}

export interface SinkCounts {
  /** Requests received. */
  received: number;
  /** Distinct `webhook-id` headers (one per delivery). */
  distinctWebhookIds: number;
  /** Requests beyond the first for the same webhook-id: deliveries sent twice. */
  duplicates: number;
  /** Distinct event ids seen in bodies. */
  events: number;
}

/**
 * The event id of a delivery body: the deliverer writes `{"id":"<uuid>",…` first, so a slice does
 * at a glance what JSON.parse would do for every request; anything else is parsed.
 */
export function eventIdOf(body: string): string | undefined {
  if (body.startsWith('{"id":"') && body[43] === '"') return body.slice(7, 43);
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

/** `payload.sent_at_ms` of a delivery body (set by the k6 end-to-end script), if any. */
export function sentAtOf(body: string): number | undefined {
  if (!body.includes('"sent_at_ms"')) return undefined;
  try {
    const sent = (JSON.parse(body) as { payload?: { sent_at_ms?: unknown } }).payload?.sent_at_ms;
    return typeof sent === 'number' ? sent : undefined;
  } catch {
    return undefined;
  }
}

export function createReceiptLog(): ReceiptLog {
  let received = 0;
  let perWebhookId = new Map<string, number>();
  let firstReceipt = new Map<string, number>();
  let latencies: number[] = [];
  return {
    record: (webhookId, body, at) => {
      received += 1;
      perWebhookId.set(webhookId, (perWebhookId.get(webhookId) ?? 0) + 1);
      const eventId = eventIdOf(body);
      if (eventId !== undefined && !firstReceipt.has(eventId)) firstReceipt.set(eventId, at);
      const sentAt = sentAtOf(body);
      if (sentAt !== undefined) latencies.push(at - sentAt);
    },
    stats: () => ({
      received,
      distinctWebhookIds: perWebhookId.size,
      duplicates: received - perWebhookId.size,
      events: firstReceipt.size,
    }),
    receipts: () => [...firstReceipt.entries()],
    latencies: (from) => latencies.slice(from),
    reset: () => {
      received = 0;
      perWebhookId = new Map();
      firstReceipt = new Map();
      latencies = [];
    },
  };
}
