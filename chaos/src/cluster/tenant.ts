import postgres from 'postgres';
import { generateEndpointSecret } from '@triggers/webhooks';
import { ENDPOINTS } from '../load/event-mix.js';

/** The organization the load generator sends as. */
export interface Tenant {
  organizationId: string;
  apiKey: string;
}

/**
 * Creates the organization and its API key through the admin API (the way an operator would), and
 * its webhook endpoints directly in Postgres, each pointing at a path of the sink.
 */
export async function createTenant(
  apiUrl: string,
  adminToken: string,
  databaseUrl: string,
  sinkUrl: string,
): Promise<Tenant> {
  const organization = await admin<{ id: string }>(apiUrl, adminToken, '/admin/organizations', {
    name: 'chaos',
    rate_limit_per_second: 1_000_000,
  });
  const { key } = await admin<{ key: string }>(
    apiUrl,
    adminToken,
    `/admin/organizations/${organization.id}/api-keys`,
    { name: 'chaos load generator' },
  );
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const endpoint of ENDPOINTS) {
      await sql`
        INSERT INTO endpoints (organization_id, url, event_types, secret, description)
        VALUES (${organization.id}, ${sinkUrl + endpoint.path}, ${endpoint.eventTypes},
                ${generateEndpointSecret()}, ${'chaos sink ' + endpoint.path})`;
    }
  } finally {
    await sql.end();
  }
  return { organizationId: organization.id, apiKey: key };
}

async function admin<T>(apiUrl: string, adminToken: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
