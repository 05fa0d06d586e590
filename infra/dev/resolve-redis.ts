import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RedisServer, findFreePort, findRedisServerBin, isPortFree } from '@triggers/local-services';
import { Redis } from 'ioredis';
import { canInstallDebianPackages, installDebianPackage } from './debian-package.js';
import { readOwnServers, writeOwnServers } from './own-servers.js';
import { paths } from './paths.js';
import type { ResolvedServer } from './resolve-postgres.js';
import { redactUrl } from './urls.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A Redis that answers: our own one when a previous run started it, else the one at `url`, else a
 * local redis-server under .data/redis (installed with apt-get when missing and we are root).
 */
export async function ensureRedis(url: string, explicit: boolean): Promise<ResolvedServer> {
  const own = readOwnServers().redis;
  if (own) {
    const server = new RedisServer({ ...own, detached: true });
    if (server.isRunning()) {
      console.log(`redis: ${server.url} (started earlier by make up)`);
      return { url: server.url, startedNow: false };
    }
  }

  const problem = await connectionProblem(url);
  if (problem === undefined) {
    console.log(`redis: ${redactUrl(url)} (already running)`);
    return { url, startedNow: false };
  }
  if (!UNREACHABLE.has(problem.code ?? '')) {
    const message = `redis at ${redactUrl(url)} answers but refuses us: ${problem.message}`;
    if (explicit) throw new Error(`${message}\nfix REDIS_URL, or unset it to use a local server`);
    console.log(`${message}; starting a local one instead`);
  }

  const bin = findRedisServerBin() ?? installRedisServer();
  const port = (await isPortFree(6379)) ? 6379 : (await isPortFree(63790)) ? 63790 : await findFreePort();
  mkdirSync(paths.logs, { recursive: true });
  const options = { dir: paths.redis, logFile: join(paths.logs, 'redis.log'), port };
  const server = new RedisServer({ ...options, bin, detached: true });
  await server.start();
  writeOwnServers({ ...readOwnServers(), redis: options });
  console.log(`redis: ${server.url} (started here, log ${options.logFile})`);
  return { url: server.url, startedNow: true };
}

/** Why PING fails (undefined: it works). */
async function connectionProblem(url: string): Promise<{ code?: string; message: string } | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket error (ECONNREFUSED...) arrives here; connect() then only rejects with "Connection is closed".
  let socketError: unknown;
  redis.on('error', (err) => (socketError = err));
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    const { code, message } = (socketError ?? err) as { code?: string; message: string };
    return { code, message };
  } finally {
    redis.disconnect();
  }
}

/** Debian's redis-server installs in seconds. */
function installRedisServer(): string {
  if (!canInstallDebianPackages()) {
    throw new Error(
      'no Redis answers and redis-server is not installed: install it (sudo apt-get install redis-server), ' +
        'or set REDIS_URL to a Redis that answers',
    );
  }
  console.log('redis: redis-server is missing; installing it with apt-get');
  installDebianPackage('redis-server');
  const bin = findRedisServerBin();
  if (!bin) throw new Error('apt-get installed redis-server but it is not on PATH');
  return bin;
}
