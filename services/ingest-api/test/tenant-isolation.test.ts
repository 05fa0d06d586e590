// Risk: one organization's key writes into, or collides with, another organization's events.
import { anEvent, post, startTestApi, type TestApi } from './test-api.js';

describe('tenant isolation at ingest', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('stores an event under the key’s organization, whatever the body says', async () => {
    const a = await api.createOrganization();
    const b = await api.createOrganization();
    const res = await post(api, '/api/events', a.key, { ...anEvent(), organization_id: b.id });
    expect(res.status).toBe(422);
    const ok = await post(api, '/api/events', a.key, anEvent({ payload: { organization_id: b.id } }));
    const { id } = (await ok.json()) as { id: string };
    const rows = await api.db.sql<
      { organization_id: string }[]
    >`SELECT organization_id FROM event_queue WHERE id = ${id}`;
    expect(rows).toEqual([{ organization_id: a.id }]);
  });

  it('keeps dedup_ids per organization: the same dedup_id in two organizations is two events', async () => {
    const a = await api.createOrganization();
    const b = await api.createOrganization();
    const ra = await post(api, '/api/events', a.key, anEvent({ dedup_id: 'shared-1' }));
    const rb = await post(api, '/api/events', b.key, anEvent({ dedup_id: 'shared-1' }));
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const [ia, ib] = (await Promise.all([ra.json(), rb.json()])) as { id: string }[];
    expect(ia!.id).not.toBe(ib!.id);
    expect(await api.db.sql`SELECT 1 FROM event_queue WHERE dedup_id = 'shared-1'`).toHaveLength(2);
  });

  it('does not accept one organization’s key on the admin routes', async () => {
    const a = await api.createOrganization();
    const res = await fetch(`${api.url}/admin/organizations/${a.id}`, {
      headers: { authorization: `Bearer ${a.key}` },
    });
    expect(res.status).toBe(401);
  });
});
