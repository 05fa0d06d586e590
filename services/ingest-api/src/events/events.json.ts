import type { DeliveryAttempt, DeliveryView, EventView, InboxEvent } from '@triggers/db';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Wire shapes (snake_case) of events, deliveries and attempts. */
export function toEventJson(event: EventView) {
  return {
    id: event.id,
    type: event.type,
    status: event.status,
    payload: event.payload,
    dedup_id: event.dedupId,
    occurred_at: event.occurredAt.toISOString(),
    received_at: event.receivedAt.toISOString(),
    persisted_at: iso(event.persistedAt),
    acknowledged_at: iso(event.acknowledgedAt),
  };
}

export function toInboxEventJson(event: InboxEvent) {
  return {
    id: event.id,
    type: event.type,
    payload: event.payload,
    dedup_id: event.dedupId,
    occurred_at: event.occurredAt.toISOString(),
    received_at: event.receivedAt.toISOString(),
  };
}

export function toDeliveryJson(delivery: DeliveryView) {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    endpoint_id: delivery.endpointId,
    event_type: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: iso(delivery.nextAttemptAt),
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    delivered_at: iso(delivery.deliveredAt),
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
  };
}

export function toAttemptJson(attempt: DeliveryAttempt) {
  return {
    attempt: attempt.attempt,
    status_code: attempt.statusCode,
    duration_ms: attempt.durationMs,
    error_kind: attempt.errorKind,
    error: attempt.error,
    response_body: attempt.responseBody,
    created_at: attempt.createdAt.toISOString(),
  };
}

/** A delivery with every attempt made for it (replays included), oldest first. */
export function toDeliveryWithAttemptsJson(delivery: DeliveryView, attempts: DeliveryAttempt[]) {
  return { ...toDeliveryJson(delivery), attempt_history: attempts.map(toAttemptJson) };
}
