// `make test`: lint, type-check and every test suite against a real Postgres and Redis, started
// here when none answers (and stopped again afterwards; ones found running are left alone), with
// promtool for the alert rules' tests (installed when missing).
import { spawn } from 'node:child_process';
import { ensurePromtool } from './ensure-promtool.js';
import { repoRoot } from './paths.js';
import { ensurePostgres, type ResolvedServer } from './resolve-postgres.js';
import { DEFAULT_REDIS_URL, ensureRedis } from './resolve-redis.js';
import { stopOwnServers } from './stop-own-servers.js';
import { withDatabase } from './urls.js';

const CHECKS = 'pnpm lint && pnpm typecheck && pnpm test';

async function testAll(): Promise<number> {
  ensurePromtool();
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;
  // Tests create a database each; they need the server, reached through the always-present `postgres` database.
  const postgres = await ensurePostgres(
    withDatabase(databaseUrl ?? 'postgres://postgres@127.0.0.1:5432', 'postgres'),
    !!databaseUrl,
  );
  let redis: ResolvedServer | undefined;
  try {
    redis = await ensureRedis(redisUrl ?? DEFAULT_REDIS_URL, !!redisUrl);
    console.log(`\n$ ${CHECKS}`);
    return await run(CHECKS, { ...process.env, TEST_DATABASE_URL: postgres.url, TEST_REDIS_URL: redis.url });
  } finally {
    await stopOwnServers({ postgres: postgres.startedNow, redis: redis?.startedNow ?? false });
  }
}

function run(command: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: repoRoot, env, stdio: 'inherit' });
    // Ctrl-C reaches the checks by itself (same process group); outliving them lets the clean-up run.
    const ignore = () => {};
    const forward = () => child.kill('SIGTERM');
    process.on('SIGINT', ignore).on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', ignore).off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

try {
  process.exitCode = await testAll();
} catch (err) {
  console.error(`make test failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
