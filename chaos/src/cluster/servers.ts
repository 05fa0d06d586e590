import { join } from 'node:path';
import postgres from 'postgres';
import { createDatabase, migrateToLatest } from '@triggers/db';
import { PostgresServer, RedisServer, findRedisServerBin } from '@triggers/local-services';
import type { RunFolder } from './run-folder.js';

export const DATABASE_NAME = 'triggers';

/**
 * This suite's own Postgres: its own port and data folder, so that killing it touches nothing
 * else. fsync stays on: "202 means durable" across a crash is one of the things checked.
 */
export async function startPostgres(folder: RunFolder, port: number): Promise<PostgresServer> {
  const server = new PostgresServer({
    dataDir: folder.postgres,
    port,
    logFile: join(folder.logs, 'postgres.log'),
    settings: { max_connections: 200 },
  });
  await server.start();
  const admin = postgres(server.url(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  const client = createDatabase({
    url: server.url(DATABASE_NAME),
    maxConnections: 1,
    applicationName: 'triggers-chaos',
  });
  try {
    await migrateToLatest(client.db);
  } finally {
    await client.close();
  }
  return server;
}

/**
 * This suite's own Redis, persisted as production runs it (append-only file, fsync every second):
 * a stopped and restarted Redis keeps its queued jobs. Jobs it does lose are the reconciler's job.
 */
export async function startRedis(folder: RunFolder, port: number): Promise<RedisServer> {
  const bin = findRedisServerBin();
  if (!bin) throw new Error('redis-server not found: apt-get install redis-server, or set REDIS_SERVER_BIN');
  const server = new RedisServer({
    port,
    dir: folder.redis,
    logFile: join(folder.logs, 'redis.log'),
    bin,
    appendOnly: true,
  });
  await server.start();
  return server;
}
