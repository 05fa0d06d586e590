// Risk: the CLI's consumer commands call the wrong route, drop options, or hide API errors.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@triggers/cli';
import { ADMIN_TOKEN, startTestApi, type TestApi } from './test-api.js';
import { deliveriesOf, processQueue, sendStoredEvents, setDeliveryState, waitFor } from './fixtures.js';

describe('consumer commands of the CLI', () => {
  let api: TestApi;
  let org: { id: string; key: string };
  beforeAll(async () => {
    api = await startTestApi({ ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' });
    org = await api.createOrganization();
  });
  afterAll(() => api.close());

  async function cli(
    ...argv: string[]
  ): Promise<{ code: number; json: Record<string, unknown>; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(
      argv,
      { url: api.url, adminToken: ADMIN_TOKEN, apiKey: org.key },
      { out: (t) => (out += t), err: (t) => (err += t) },
    );
    return { code, json: (out ? JSON.parse(out) : {}) as Record<string, unknown>, err };
  }

  it('manages endpoints: create (secret once), update, stats, rotate, test, delete', async () => {
    const created = await cli(
      'endpoints',
      'create',
      '--url',
      'http://127.0.0.1:9/hook',
      '--event-types',
      'cli.*,other.one',
      '--header',
      'X-Team=cli',
      '--max-attempts',
      '3',
      '--timeout-ms',
      '1500',
    );
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
      event_types: ['cli.*', 'other.one'],
      headers: { 'X-Team': 'cli' },
      max_attempts: 3,
      timeout_ms: 1500,
    });
    const id = created.json.id as string;
    expect((await cli('endpoints', 'update', id, '--disable', '--description', 'paused')).json).toMatchObject(
      {
        enabled: false,
        description: 'paused',
      },
    );
    expect((await cli('endpoints', 'update', id, '--enable')).json).toMatchObject({ enabled: true });
    expect((await cli('endpoints', 'list')).json).toMatchObject({ data: [{ id }] });
    expect((await cli('endpoints', 'get', id)).json).not.toHaveProperty('secret');
    expect((await cli('endpoints', 'stats', id)).json).toMatchObject({ deliveries: { pending: 0 } });
    const rotated = await cli('endpoints', 'rotate-secret', id);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    expect((await cli('endpoints', 'test', id)).json).toMatchObject({ event_id: expect.any(String) });
    expect((await cli('endpoints', 'delete', id)).json).toEqual({ id, deleted: true });
    const gone = await cli('endpoints', 'get', id);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain('404 not_found');
  });

  it('registers event types with a schema from a file, updates and removes them', async () => {
    const file = join(tmpdir(), `schema-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ type: 'object', required: ['id'] }));
    const created = await cli('event-types', 'create', '--name', 'cli.created', '--schema', `@${file}`);
    expect(created.json).toMatchObject({ name: 'cli.created', schema: { required: ['id'] } });
    expect((await cli('event-types', 'list')).json).toMatchObject({ data: [{ name: 'cli.created' }] });
    expect((await cli('event-types', 'update', 'cli.created', '--no-schema')).json).toMatchObject({
      schema: null,
    });
    expect(
      (await cli('event-types', 'update', 'cli.created', '--schema', '{"type":"object"}')).json,
    ).toMatchObject({
      schema: { type: 'object' },
    });
    expect((await cli('event-types', 'get', 'cli.created')).code).toBe(0);
    const bad = await cli('event-types', 'create', '--name', 'cli.bad', '--schema', '{"type":"objekt"}');
    expect([bad.code, bad.err]).toEqual([1, expect.stringContaining('422 invalid_schema')]);
    expect((await cli('event-types', 'delete', 'cli.created')).json).toEqual({
      name: 'cli.created',
      deleted: true,
    });
  });

  it('reads the inbox, acknowledges, and shows events', async () => {
    const ids = await sendStoredEvents(api, org.key, [{ type: 'inbox.a' }, { type: 'inbox.b' }]);
    // The inbox shows events once every older writing transaction on the server has ended.
    await waitFor(
      async () => ((await cli('inbox', '--type', 'inbox.*')).json.data as unknown[]).length === 2,
    );
    const inbox = await cli('inbox', '--type', 'inbox.*', '--limit', '1');
    expect(inbox.json).toMatchObject({ data: [{ id: ids[0] }], has_more: true });
    const next = await cli('inbox', '--type', 'inbox.*', '--cursor', inbox.json.next_cursor as string);
    expect(next.json).toMatchObject({ data: [{ id: ids[1] }] });
    expect((await cli('ack', ...ids)).json).toMatchObject({ acknowledged: 2 });
    expect((await cli('ack', ...ids)).json).toMatchObject({ acknowledged: 0, unchanged: 2 });
    expect((await cli('events', 'get', ids[0]!)).json).toMatchObject({ id: ids[0], status: 'accepted' });
    expect((await cli('events', 'list', '--type', 'inbox.b')).json).toMatchObject({ data: [{ id: ids[1] }] });
    const limit = await cli('inbox', '--limit', '0');
    expect(limit.code).not.toBe(0);
  });

  it('lists dead deliveries and replays them, one or by filter with a dry run', async () => {
    const endpoint = (
      await cli('endpoints', 'create', '--url', 'http://127.0.0.1:9/x', '--event-types', 'dlq.*')
    ).json;
    const events = await sendStoredEvents(api, org.key, [
      { type: 'dlq.a' },
      { type: 'dlq.b' },
      { type: 'dlq.c' },
    ]);
    const ids = await Promise.all(
      events.map(async (e) => (await deliveriesOf(api, e)).get(endpoint.id as string)!),
    );
    for (const id of ids) await setDeliveryState(api, id, 'dead', [{ statusCode: 500 }]);

    const dead = await cli('deliveries', 'list', '--status', 'dead', '--endpoint', endpoint.id as string);
    expect((dead.json.data as unknown[]).length).toBe(3);
    expect((await cli('deliveries', 'get', ids[0]!)).json).toMatchObject({
      attempt_history: [{ status_code: 500 }],
    });
    expect((await cli('replay', ids[0]!)).json).toMatchObject({ id: ids[0], status: 'pending' });
    const again = await cli('replay', ids[0]!);
    expect([again.code, again.err]).toEqual([1, expect.stringContaining('409 replay_conflict')]);
    expect((await cli('replay', '--endpoint', endpoint.id as string, '--dry-run')).json).toEqual({
      dry_run: true,
      count: 2,
    });
    expect((await cli('replay', '--endpoint', endpoint.id as string)).json).toEqual({
      dry_run: false,
      count: 2,
    });
    await processQueue(api);
  });

  it('turns strict event types on for an organization (admin)', async () => {
    const res = await cli('org', 'update', org.id, '--strict-event-types', 'true');
    expect(res.json).toMatchObject({ strict_event_types: true });
    expect((await cli('org', 'update', org.id, '--strict-event-types', 'maybe')).code).not.toBe(0);
    await cli('org', 'update', org.id, '--strict-event-types', 'false');
  });
});
