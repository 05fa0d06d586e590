// Risk: a local Postgres that loses committed rows in a crash, or cannot come back after one.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { PostgresServer, findFreePort } from '../src/index.js';

describe('PostgresServer', () => {
  let root: string;
  let server: PostgresServer;

  async function withSql<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = postgres(server.url(), { max: 1, onnotice: () => {} });
    try {
      return await work(sql);
    } finally {
      await sql.end();
    }
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'local-services-pg-'));
    // Under root the server runs as the postgres OS user, which must be able to enter this folder.
    chmodSync(root, 0o755);
    server = new PostgresServer({ dataDir: join(root, 'data'), port: await findFreePort() });
    await server.start();
  });

  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers queries on 127.0.0.1 at its port', async () => {
    const [row] = await withSql((sql) => sql`select current_setting('port') as port, current_user as who`);
    expect(row).toEqual({ port: String(server.port), who: 'postgres' });
    expect(server.url('triggers')).toBe(`postgres://postgres@127.0.0.1:${server.port}/triggers`);
  });

  it('keeps committed rows when the postmaster is killed and started again', async () => {
    await withSql(async (sql) => {
      await sql`create table survivors (id int primary key)`;
      await sql`insert into survivors values (1), (2)`;
    });

    await server.kill();
    expect(server.isRunning()).toBe(false);
    await server.start();

    const rows = await withSql((sql) => sql`select id from survivors order by id`);
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('stops and starts again on the same data', async () => {
    await server.stop();
    expect(server.isRunning()).toBe(false);
    await server.start();
    const [row] = await withSql((sql) => sql`select count(*)::int as n from survivors`);
    expect(row?.n).toBe(2);
  });
});
