import type { Endpoint, EndpointDeliveryStats } from '@triggers/db';
import type { CircuitSnapshot } from '@triggers/circuit-breaker';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Wire shape (snake_case) of an endpoint. The secret is never part of it (see `withSecret`). */
export function toEndpointJson(endpoint: Endpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    headers: endpoint.headers,
    max_attempts: endpoint.maxAttempts,
    timeout_ms: endpoint.timeoutMs,
    previous_secret_expires_at: iso(endpoint.previousSecretExpiresAt),
    failing_since: iso(endpoint.failingSince),
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

/** The endpoint with its signing secret: only in the answers to create and rotate-secret. */
export function withSecret(endpoint: Endpoint) {
  return { ...toEndpointJson(endpoint), secret: endpoint.secret };
}

export function toEndpointStatsJson(
  endpointId: string,
  stats: EndpointDeliveryStats,
  circuit: CircuitSnapshot | undefined,
) {
  return {
    endpoint_id: endpointId,
    deliveries: stats.byStatus,
    last_success_at: iso(stats.lastSuccessAt),
    last_failure: stats.lastFailure && {
      at: stats.lastFailure.at.toISOString(),
      status_code: stats.lastFailure.statusCode,
      error: stats.lastFailure.error,
    },
    // Unknown while Redis is unreachable: the circuit lives there.
    circuit: circuit
      ? {
          state: circuit.state,
          consecutive_failures: circuit.consecutiveFailures,
          open_until: iso(circuit.openUntil),
          failing_since: iso(circuit.failingSince),
        }
      : { state: 'unknown' as const },
  };
}
