/** Creates an organization and an API key through the admin API; returns the key (`trg_…`). */
export async function createApiKey(origin: string, adminToken: string, name: string): Promise<string> {
  const organization = await adminPost<{ id: string }>(origin, adminToken, '/admin/organizations', { name });
  const key = await adminPost<{ key: string }>(
    origin,
    adminToken,
    `/admin/organizations/${encodeURIComponent(organization.id)}/api-keys`,
    { name: 'bench' },
  );
  if (typeof key.key !== 'string') throw new Error(`api key answer has no key: ${JSON.stringify(key)}`);
  return key.key;
}

async function adminPost<T>(origin: string, adminToken: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`POST ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
