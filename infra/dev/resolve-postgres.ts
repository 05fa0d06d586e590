import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresServer, findFreePort, isPortFree, postgresUserCanEnter } from '@triggers/local-services';
import postgres from 'postgres';
import { readOwnServers, writeOwnServers } from './own-servers.js';
import { paths, repoRoot } from './paths.js';
import { databaseName, redactUrl, withDatabase } from './urls.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/triggers';

/** Connection errors that mean "nobody answers there", as opposed to "a server said no". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export interface ResolvedServer {
  url: string;
  /** Started by this run (so a caller that cleans up after itself stops it). */
  startedNow: boolean;
}

/**
 * A Postgres that answers, with the URL's database created: our own one when a previous run
 * started it, else the one at `url`, else a fresh local cluster under .data/postgres.
 * `explicit`: the URL came from the user, so a server that refuses us is an error, not a fallback.
 */
export async function ensurePostgres(url: string, explicit: boolean): Promise<ResolvedServer> {
  const database = databaseName(url);
  const own = readOwnServers().postgres;
  const ownServer = own && new PostgresServer(own);
  if (own && ownServer?.isRunning()) {
    const ownUrl = ownServer.url(database);
    await createDatabaseIfMissing(ownUrl);
    console.log(`postgres: ${ownUrl} (started earlier by make up, data in ${own.dataDir})`);
    return { url: ownUrl, startedNow: false };
  }

  const problem = await connectionProblem(url);
  if (problem === undefined || problem.code === '3D000') {
    await createDatabaseIfMissing(url);
    console.log(`postgres: ${redactUrl(url)} (already running)`);
    return { url, startedNow: false };
  }
  if (!UNREACHABLE.has(problem.code ?? '')) {
    const message = `postgres at ${redactUrl(url)} answers but refuses us: ${problem.message}`;
    if (explicit) throw new Error(`${message}\nfix DATABASE_URL, or unset it to use a local server`);
    console.log(`${message}; starting a local one instead`);
  }

  const server = await startOwnPostgres();
  const ownUrl = server.url(database);
  await createDatabaseIfMissing(ownUrl);
  console.log(`postgres: ${ownUrl} (started here, data in ${server.dataDir}, log ${server.logFile})`);
  return { url: ownUrl, startedNow: true };
}

async function startOwnPostgres(): Promise<PostgresServer> {
  mkdirSync(paths.logs, { recursive: true });
  // As root, Postgres runs as the postgres OS user, which cannot enter a clone under e.g. /root.
  const reachable = postgresUserCanEnter(paths.data);
  const dataDir = reachable ? paths.postgres : fallbackDataDir();
  const port = (await isPortFree(5432)) ? 5432 : (await isPortFree(54329)) ? 54329 : await findFreePort();
  const logFile = reachable ? join(paths.logs, 'postgres.log') : join(dataDir, 'postgres.log');
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    console.log(`postgres: creating a cluster in ${dataDir} (initdb)`);
  const server = new PostgresServer({ dataDir, port, logFile, detached: true });
  await server.start();
  writeOwnServers({ ...readOwnServers(), postgres: { dataDir, logFile, port } });
  return server;
}

function fallbackDataDir(): string {
  const id = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  const dir = join('/var/tmp', `triggers-${id}`, 'postgres');
  console.log(`postgres: the postgres OS user cannot enter ${paths.data}; keeping the cluster in ${dir}`);
  return dir;
}

/** Why connecting fails (undefined: it works). */
async function connectionProblem(url: string): Promise<{ code?: string; message: string } | undefined> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return undefined;
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    return { code, message };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const name = databaseName(url);
  const sql = postgres(withDatabase(url, 'postgres'), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length > 0) return;
    await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
    console.log(`postgres: created database ${name}`);
  } catch (err) {
    // 42P04: created concurrently by someone else, which is just as good.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
