import { randomUUID } from 'node:crypto';
import type { QueueInsertRow } from '@triggers/db';

/** A queue row as the ingest API writes it, received now; `overrides` set what a test cares about. */
export function queueRow(organizationId: string, overrides: Partial<QueueInsertRow> = {}): QueueInsertRow {
  const now = new Date();
  return {
    id: randomUUID(),
    organizationId,
    type: 'order.created',
    payload: {},
    dedupId: null,
    occurredAt: now,
    receivedAt: now,
    ...overrides,
  };
}
