import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { paths } from './paths.js';

/** The admin token of this checkout: made once, kept in .data/admin-token (readable by its owner only). */
export function readOrCreateAdminToken(): string {
  const saved = readTrimmed(paths.adminToken);
  if (saved && saved.length >= 16) return saved;
  const token = randomBytes(32).toString('base64url');
  writeFileSync(paths.adminToken, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * An API key of the demo organization: the one in .data/demo-key while it still works, else a new
 * one (on the saved demo organization when it still exists), so repeated `make up`s add nothing.
 */
export async function ensureDemoApiKey(apiUrl: string, adminToken: string): Promise<string> {
  const savedKey = readTrimmed(paths.demoKey);
  if (savedKey && (await keyWorks(apiUrl, savedKey))) return savedKey;

  let organizationId = readTrimmed(paths.demoOrganization);
  if (!organizationId || !(await organizationExists(apiUrl, adminToken, organizationId))) {
    const organization = await admin<{ id: string }>(apiUrl, adminToken, 'POST', '/admin/organizations', {
      name: 'demo',
    });
    organizationId = organization.id;
    writeFileSync(paths.demoOrganization, `${organizationId}\n`);
  }
  const { key } = await admin<{ key: string }>(
    apiUrl,
    adminToken,
    'POST',
    `/admin/organizations/${organizationId}/api-keys`,
    { name: 'make up demo' },
  );
  writeFileSync(paths.demoKey, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * The demo endpoint, pointing at the local webhook sink: created once, found again by its URL on
 * later runs. Its signing secret goes to .data/demo-endpoint-secrets, from which the sink verifies
 * every signature; when that file is gone the secret is rotated, since it is never shown again.
 */
export async function ensureDemoEndpoint(apiUrl: string, key: string, endpointUrl: string): Promise<void> {
  const { data } = await request<{ data: { id: string; url: string }[] }>(
    apiUrl,
    key,
    'GET',
    '/api/endpoints?limit=1000',
  );
  const existing = data.find((endpoint) => endpoint.url === endpointUrl);
  if (existing && readTrimmed(paths.demoEndpointSecrets)) return;
  const { secret } = existing
    ? await request<{ secret: string }>(apiUrl, key, 'POST', `/api/endpoints/${existing.id}/rotate-secret`)
    : await request<{ secret: string }>(apiUrl, key, 'POST', '/api/endpoints', {
        url: endpointUrl,
        description: 'make up: the local webhook sink',
      });
  writeFileSync(paths.demoEndpointSecrets, `${secret}\n`, { mode: 0o600 });
}

// Every /api route checks the key before anything else: 401 means unknown or revoked.
async function keyWorks(apiUrl: string, key: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/api/events/00000000-0000-0000-0000-000000000000`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return response.status !== 401 && response.status !== 403;
}

async function organizationExists(apiUrl: string, adminToken: string, id: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/admin/organizations/${id}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (response.status === 401) throw adminTokenMismatch();
  return response.ok;
}

/**
 * One JSON call with a bearer token; any answer but 2xx throws, a 401 with `unauthorized()` when
 * given (the admin token of .data no longer matches the running API).
 */
async function request<T>(
  apiUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  unauthorized?: () => Error,
): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401 && unauthorized) throw unauthorized();
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

function admin<T>(
  apiUrl: string,
  adminToken: string,
  method: string,
  path: string,
  body: unknown,
): Promise<T> {
  return request<T>(apiUrl, adminToken, method, path, body, adminTokenMismatch);
}

function adminTokenMismatch(): Error {
  return new Error('the running ingest-api does not accept .data/admin-token: run `make down && make up`');
}

function readTrimmed(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
