/**
 * What became of one event the generator sent (one dedup_id, retried as a careful client would):
 * accepted (202), duplicate (200: an earlier attempt had been stored after all), rejected (4xx),
 * failed (no answer but errors after every attempt), pending (still being tried).
 */
export type EventOutcome = 'pending' | 'accepted' | 'duplicate' | 'rejected' | 'failed';

export interface SentEvent {
  dedupId: string;
  type: string;
  round: number;
  attempts: number;
  outcome: EventOutcome;
  /** The id from the 202 (or 200) body. */
  eventId: string | undefined;
}

/** HTTP requests of one round, by result (an event retried three times counts three requests). */
export interface RequestCounts {
  requests: number;
  /** 202 Accepted. */
  accepted: number;
  /** 200 with `duplicate: true`. */
  duplicates: number;
  clientErrors: number;
  serverErrors: number;
  /** No HTTP answer: refused, reset, timed out. */
  connectionErrors: number;
}

export function emptyCounts(): RequestCounts {
  return { requests: 0, accepted: 0, duplicates: 0, clientErrors: 0, serverErrors: 0, connectionErrors: 0 };
}

export function addCounts(a: RequestCounts, b: RequestCounts): RequestCounts {
  return {
    requests: a.requests + b.requests,
    accepted: a.accepted + b.accepted,
    duplicates: a.duplicates + b.duplicates,
    clientErrors: a.clientErrors + b.clientErrors,
    serverErrors: a.serverErrors + b.serverErrors,
    connectionErrors: a.connectionErrors + b.connectionErrors,
  };
}

/** Whether the API said the event is stored (202, or 200 for a duplicate of a stored one). */
export function acknowledged(event: SentEvent): boolean {
  return event.outcome === 'accepted' || event.outcome === 'duplicate';
}
