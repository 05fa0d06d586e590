// Risk: someone without the admin token manages organizations, or a revoked key keeps working.
import { runCli } from '@triggers/cli';
import { ADMIN_TOKEN, anEvent, post, startTestApi, type TestApi } from './test-api.js';

describe('admin API and CLI', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(
      argv,
      { url: api.url, adminToken: ADMIN_TOKEN, apiKey: undefined },
      { out: (t) => (out += t), err: (t) => (err += t) },
    );
    return { code, out, err };
  }

  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer not-the-admin-token'],
    ['an API key instead of the token', 'Bearer trg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses %s with 401 problem+json', async (_name, authorization) => {
    const res = await fetch(`${api.url}/admin/organizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await api.db.sql`SELECT 1 FROM organizations`).toHaveLength(0);
  });

  it('creates an organization and a key with the CLI; the key works, is stored only as a hash, and stops working once revoked', async () => {
    const org = await cli('org', 'create', '--name', 'acme');
    expect(org.code).toBe(0);
    const { id: orgId } = JSON.parse(org.out) as { id: string };
    const created = await cli('key', 'create', '--org', orgId, '--name', 'ci');
    expect(created.code).toBe(0);
    const { id: keyId, key, prefix } = JSON.parse(created.out) as { id: string; key: string; prefix: string };
    expect(key).toMatch(/^trg_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);

    const stored = await api.db.sql<
      { key_hash: string }[]
    >`SELECT key_hash FROM api_keys WHERE id = ${keyId}`;
    expect(stored[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await api.db.sql`SELECT * FROM api_keys`)).not.toContain(key);
    const listed = await cli('key', 'list', '--org', orgId);
    expect(listed.out).not.toContain(key);

    expect((await post(api, '/api/events', key, anEvent())).status).toBe(202);
    expect((await cli('key', 'revoke', keyId)).code).toBe(0);
    const refused = await post(api, '/api/events', key, anEvent());
    expect(refused.status).toBe(401);
  });

  it('reports API problems on stderr with a non-zero exit code', async () => {
    const res = await cli('key', 'create', '--org', '00000000-0000-4000-8000-000000000000');
    expect(res.code).toBe(1);
    expect(res.err).toContain('404 not_found');
    const bad = await cli('org', 'create', '--name', '');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('422 validation_failed');
  });

  it('answers 404 for ids that are not UUIDs, without asking Postgres', async () => {
    const res = await fetch(`${api.url}/admin/organizations/1%27%20OR%201=1`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(404);
  });
});
