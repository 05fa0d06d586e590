import { PostgresServer, RedisServer } from '@triggers/local-services';
import { readOwnServers, writeOwnServers } from './own-servers.js';

/** Stops the local Postgres and/or Redis that the dev scripts started (never servers they found running). */
export async function stopOwnServers(which: { postgres: boolean; redis: boolean }): Promise<void> {
  const own = readOwnServers();
  if (which.redis && own.redis) {
    const server = new RedisServer({ ...own.redis, detached: true });
    if (server.isRunning()) {
      await server.stop();
      console.log(`redis: stopped ${server.url}`);
    }
    delete own.redis;
  }
  if (which.postgres && own.postgres) {
    const server = new PostgresServer({ ...own.postgres, detached: true });
    if (server.isRunning()) {
      await server.stop();
      console.log(`postgres: stopped ${server.url()} (data kept in ${server.dataDir})`);
    }
    delete own.postgres;
  }
  writeOwnServers(own);
}
