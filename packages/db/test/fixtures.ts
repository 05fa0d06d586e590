import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { QueueInsertRow } from '../src/index.js';

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

/** An enabled endpoint of the organization, receiving every type; resolves with its id. */
export async function insertEndpoint(
  sql: Sql,
  organizationId: string,
  url = 'https://hooks.example.com/',
): Promise<string> {
  const [endpoint] = await sql<{ id: string }[]>`
    INSERT INTO endpoints (organization_id, url, secret)
    VALUES (${organizationId}, ${url}, 'whsec_dGVzdA==') RETURNING id`;
  return endpoint!.id;
}
