import type { DeliveryToSend } from '@triggers/db';
import { isReservedHeader, signWebhook } from '@triggers/webhooks';
import type { WebhookRequest } from './send-webhook.js';

export const USER_AGENT = 'Triggers-Webhooks/0.1 (+https://triggers.dev/webhooks)';

/**
 * The request for one attempt: the event as JSON, signed per Standard Webhooks with the delivery id
 * as `webhook-id` (stable across retries, so receivers can deduplicate). While a rotated-out secret
 * has not expired, it signs too.
 */
export function buildWebhookRequest(
  delivery: DeliveryToSend,
  defaultTimeoutMs: number,
  now = new Date(),
): WebhookRequest {
  const { event, endpoint } = delivery;
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    received_at: event.receivedAt.toISOString(),
    payload: event.payload,
  });
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(endpoint.previousSecret);
  }
  const signed = signWebhook({
    id: delivery.id,
    timestampSeconds: Math.floor(now.getTime() / 1000),
    body,
    secrets,
  });
  return {
    url: endpoint.url,
    // The endpoint's own headers first: ours must win. The API refuses reserved names; one stored
    // before a rule (an `Expect`, which undici refuses) is left out rather than failing every delivery.
    headers: {
      ...Object.fromEntries(Object.entries(endpoint.headers).filter(([name]) => !isReservedHeader(name))),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...signed,
    },
    body,
    timeoutMs: endpoint.timeoutMs ?? defaultTimeoutMs,
  };
}
