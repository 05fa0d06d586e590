import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresServer, RedisServer, findFreePort } from '@triggers/local-services';

/**
 * A Postgres server of the test's own (own port and data folder), for tests that stop, kill or
 * restart it. fsync stays on: durability is what those tests check.
 */
export async function startThrowawayPostgres(): Promise<PostgresServer & { destroy: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'triggers-pg-'));
  // mkdtemp makes it private to us; as root, Postgres runs as another user that must enter it.
  chmodSync(dir, 0o755);
  const server = new PostgresServer({ dataDir: join(dir, 'data'), port: await findFreePort() });
  await server.start();
  return Object.assign(server, {
    destroy: async () => {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A Redis server of the test's own, for tests that stop or kill it. */
export async function startThrowawayRedis(): Promise<RedisServer & { destroy: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'triggers-redis-'));
  const server = new RedisServer({ dir, port: await findFreePort() });
  await server.start();
  return Object.assign(server, {
    destroy: async () => {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
