// Risk: an organization points an endpoint at an internal address (SSRF), or learns from a refusal
// what an internal name resolves to.
import { startTestApi, type TestApi } from './test-api.js';
import { call } from './fixtures.js';

describe('webhook URL policy (private targets not allowed)', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'false' });
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  it.each([
    'http://127.0.0.1:4100/hook',
    'http://localhost/hook',
    'http://10.0.0.5/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
  ])('refuses %s with 422 webhook_url_refused and stores nothing', async (url) => {
    const res = await call(api, 'POST', '/api/endpoints', org.key, { url });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'webhook_url_refused',
      reason: 'private_address',
      errors: [{ pointer: '/url' }],
    });
    expect(await api.db.sql`SELECT 1 FROM endpoints`).toHaveLength(0);
  });

  it('never says what a refused name resolves to', async () => {
    const res = await call(api, 'POST', '/api/endpoints', org.key, { url: 'http://localhost/hook' });
    expect(res.body).toMatchObject({
      code: 'webhook_url_refused',
      reason: 'private_address',
      detail: 'The url resolves to a non-public address; private targets are not allowed.',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|::1|\d+\.\d+\.\d+\.\d+/);
  });

  it('refuses IPv4-compatible IPv6 addresses (::/96)', async () => {
    for (const url of ['http://[::127.0.0.1]/hook', 'http://[::a00:1]/hook', 'http://[::808:808]/hook']) {
      const res = await call(api, 'POST', '/api/endpoints', org.key, { url });
      expect(res.body).toMatchObject({ code: 'webhook_url_refused', reason: 'private_address' });
    }
  });

  it('checks a changed URL too', async () => {
    const [row] = await api.db.sql<{ id: string }[]>`
      INSERT INTO endpoints (organization_id, url, secret) VALUES (${org.id}, 'https://93.184.215.14/hook', 'whsec_dGVzdA==')
      RETURNING id`;
    const res = await call(api, 'PATCH', `/api/endpoints/${row!.id}`, org.key, { url: 'http://127.0.0.1/x' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'webhook_url_refused' });
  });

  it('accepts a public address', async () => {
    const res = await call(api, 'POST', '/api/endpoints', org.key, { url: 'https://93.184.215.14/hook' });
    expect(res.status).toBe(201);
  });
});
