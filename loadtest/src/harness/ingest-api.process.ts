import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, waitForHttpOk, type Child } from './child-process.js';
import { REPO_DIR } from './paths.js';
import { freePort } from './ports.js';

export const INGEST_API_DIR = join(REPO_DIR, 'services/ingest-api');
export const INGEST_API_MAIN = join(INGEST_API_DIR, 'src/main.ts');

export interface IngestApiSettings {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  adminToken: string;
}

export interface IngestApi {
  origin: string;
  child: Child;
  /** The variables it was started with that shape performance (secrets left out). */
  tuning: Record<string, string>;
  stop: () => Promise<void>;
}

// Passed through from the caller's environment when set, so `GROUP_COMMIT_MAX_ROWS=500 pnpm bench`
// measures a variant without code changes.
const TUNABLES = [
  'GROUP_COMMIT_MAX_ROWS',
  'GROUP_COMMIT_MAX_WAIT_MS',
  'DB_POOL_SIZE',
  'BODY_LIMIT_BYTES',
  'UV_THREADPOOL_SIZE',
  'NODE_OPTIONS',
];

/**
 * Starts the real ingest API the way production does (`node --import tsx src/main.ts`), on free
 * ports, with rate limits far above anything the benchmark sends, and waits for `/readyz`.
 */
export async function startIngestApi(settings: IngestApiSettings): Promise<IngestApi> {
  if (!existsSync(INGEST_API_MAIN)) throw new Error(`${INGEST_API_MAIN} does not exist yet`);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const tuning: Record<string, string> = {
    RATE_LIMIT_PER_SECOND: '10000000',
    RATE_LIMIT_BURST: '10000000',
    LOG_LEVEL: 'warn',
  };
  for (const name of TUNABLES) {
    const value = process.env[name];
    if (value !== undefined && value !== '') tuning[name] = value;
  }
  const child = startChild({
    name: 'ingest-api',
    script: INGEST_API_MAIN,
    cwd: INGEST_API_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      ...tuning,
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      REDIS_KEY_PREFIX: settings.redisKeyPrefix,
      ADMIN_TOKEN: settings.adminToken,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(child, `${origin}/readyz`, 60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { origin, child, tuning, stop: () => child.stop(15_000) };
}
