// Risk: one route shown as two on the dashboard and in the latency alert, because a request whose
// handler passed an error on lost its route's mount prefix (`/events/:id` beside `/api/events/:id`).
import { randomUUID } from 'node:crypto';
import { call } from './fixtures.js';
import { ADMIN_TOKEN, anEvent, post, startTestApi, type TestApi } from './test-api.js';

describe('the request duration metric', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await startTestApi();
    key = (await api.createOrganization()).key;
  });
  afterAll(() => api.close());

  /** `route status` of every request the histogram counted. */
  async function counted(): Promise<string[]> {
    const metric = api.service.registry.getSingleMetric('triggers_http_request_duration_seconds')!;
    const { values } = (await metric.get()) as {
      values: { metricName?: string; labels: Record<string, string | number> }[];
    };
    return values
      .filter((v) => v.metricName === 'triggers_http_request_duration_seconds_count')
      .map((v) => `${v.labels.method} ${v.labels.route} ${v.labels.status}`)
      .sort();
  }

  it('labels a request by its full route pattern, whether it succeeds or its handler fails', async () => {
    const accepted = await post(api, '/api/events', key, anEvent());
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    expect((await call(api, 'GET', `/api/events/${id}`, key)).status).toBe(200);
    expect((await call(api, 'GET', `/api/events/${randomUUID()}`, key)).status).toBe(404);
    expect((await call(api, 'GET', '/api/events/not-an-id', key)).status).toBeGreaterThanOrEqual(400);
    expect((await call(api, 'GET', `/admin/organizations/${randomUUID()}`, ADMIN_TOKEN)).status).toBe(404);
    expect((await call(api, 'GET', '/no/such/route', key)).status).toBe(404);

    const routes = await counted();
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/events 202',
        'GET /api/events/:id 200',
        'GET /api/events/:id 404',
        'GET /admin/organizations/:id 404',
        'GET unmatched 404',
      ]),
    );
    expect(routes.filter((r) => !/ (\/api\/|\/admin\/|unmatched )/.test(r))).toEqual([]);
  });
});
