// Risk: after Postgres kills a backend (restart, failover, pg_terminate_backend) the pool hands the
// dead backend's error to the next, unrelated query, hangs it, or crashes the process. These are
// the postgres.js bugs patched in patches/postgres@3.4.9.patch; each test fails without the patch.
import { createTestDatabase, type TestDatabase } from '@triggers/testing';
import { createDatabase, type DatabaseClient } from '../src/index.js';

describe('a pool whose backend was terminated', () => {
  let testDb: TestDatabase;
  let client: DatabaseClient;
  const applicationName = `recovery-${process.pid}-${Date.now()}`;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    testDb = await createTestDatabase();
    process.on('uncaughtException', onUncaught);
  });
  beforeEach(() => {
    uncaught.length = 0;
    client = createDatabase({ url: testDb.url, maxConnections: 1, applicationName });
  });
  afterEach(() => client.close());
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await testDb.drop();
  });

  /** Terminates this pool's backends from another connection; resolves with how many it found. */
  async function terminateBackends(): Promise<number> {
    const rows = await testDb.sql<{ terminated: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE application_name = ${applicationName} AND pid <> pg_backend_pid()`;
    return rows.length;
  }

  /** Resolves once `query` runs on this pool's backend (not the driver's own start-up queries before it). */
  async function waitForBackend(query: string): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      const [row] = await testDb.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE application_name = ${applicationName} AND state = 'active' AND query = ${query}`;
      if (row!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the query never reached the server');
  }

  it('fails the query that was running, then answers the next one on a new connection', async () => {
    const running = client.sql`SELECT pg_sleep(30)`;
    const outcome = running.then(
      () => 'resolved',
      (err: { code?: string }) => err.code,
    );
    await waitForBackend('SELECT pg_sleep(30)');
    expect(await terminateBackends()).toBe(1);
    // How the death arrives depends on timing: the backend's goodbye, its closed socket, or a reset.
    expect(await outcome).toEqual(expect.stringMatching(/^(57P01|CONNECTION_CLOSED|ECONNRESET)$/));

    // Unpatched, this query was rejected with the dead backend's 57P01 "terminating connection".
    const [row] = await client.sql<{ answer: number }[]>`SELECT 42 AS answer`;
    expect(row!.answer).toBe(42);
    expect(uncaught).toEqual([]);
  });

  it('rejects a query on a reserved connection whose backend died, without crashing', async () => {
    const reserved = await client.sql.reserve();
    await reserved`SELECT 1`;
    expect(await terminateBackends()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the socket's close arrives

    // Unpatched, this write hit a null socket in a setImmediate: an uncaught TypeError.
    await expect(reserved`SELECT 1`).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught).toEqual([]);
    reserved.release();

    const [row] = await client.sql<{ answer: number }[]>`SELECT 7 AS answer`;
    expect(row!.answer).toBe(7);
  });

  it('never runs the rest of a transaction outside it once its backend died', async () => {
    await testDb.sql`CREATE TABLE IF NOT EXISTS recovery_probe (n int)`;
    let reportLater: (outcome: string) => void = () => {};
    const laterQuery = new Promise<string>((resolve) => (reportLater = resolve));
    const transaction = client.sql.begin(async (tx) => {
      await tx`INSERT INTO recovery_probe VALUES (1)`;
      expect(await terminateBackends()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Another caller makes the pool (of one) connect again while this callback still runs.
      await client.sql`SELECT 1`;
      reportLater(
        await tx`INSERT INTO recovery_probe VALUES (2)`.then(
          () => 'ran',
          (err: { code?: string }) => err.code ?? 'rejected',
        ),
      );
    });
    await expect(transaction).rejects.toBeDefined();
    // Unpatched, the second INSERT ran and committed on the new backend, outside any transaction.
    expect(await laterQuery).toBe('CONNECTION_CLOSED');
    const rows = await testDb.sql`SELECT n FROM recovery_probe`;
    expect(rows).toEqual([]);
  });
});
