import type { Sql } from 'postgres';

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
