// Risk: an organization multiplies every event it sends by creating endpoints without bound, or
// concurrent creates slip past the cap.
import { startTestApi, type TestApi } from './test-api.js';
import { call } from './fixtures.js';

describe('endpoints per organization', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true', MAX_ENDPOINTS_PER_ORGANIZATION: '5' });
  });
  afterAll(() => api.close());

  const create = (key: string, i: number) =>
    call<{ id: string }>(api, 'POST', '/api/endpoints', key, { url: `http://127.0.0.1:9/hook-${i}` });

  it('caps them, even when many are created at once, with 409 endpoint_limit_reached', async () => {
    const org = await api.createOrganization();
    const other = await api.createOrganization();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => create(org.key, i)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused)
      expect(r.body).toMatchObject({ status: 409, code: 'endpoint_limit_reached', limit: 5 });
    const [row] = await api.db.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM endpoints WHERE organization_id = ${org.id}`;
    expect(row!.n).toBe(5);

    // Another organization has a cap of its own; a deleted endpoint frees its place.
    expect((await create(other.key, 0)).status).toBe(201);
    const id = answers.find((a) => a.status === 201)!.body.id;
    expect((await call(api, 'DELETE', `/api/endpoints/${id}`, org.key)).status).toBe(204);
    expect((await create(org.key, 99)).status).toBe(201);
    expect((await create(org.key, 100)).status).toBe(409);
  });
});
