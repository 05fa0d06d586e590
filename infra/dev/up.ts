// `make up`: the whole system on this machine, in the background, then a curl to try it. Idempotent.
import { mkdirSync } from 'node:fs';
import { relative } from 'node:path';
import { ensureDemoApiKey, ensureDemoEndpoint, readOrCreateAdminToken } from './demo-account.js';
import { INGEST_API_URL, SINK_URL, devServices } from './dev-services.js';
import { migrate } from './migrate.js';
import { paths, repoRoot } from './paths.js';
import { DEFAULT_DATABASE_URL, ensurePostgres } from './resolve-postgres.js';
import { DEFAULT_REDIS_URL, ensureRedis } from './resolve-redis.js';
import {
  assertPortsFree,
  logFile,
  runningPid,
  startService,
  waitUntilServiceReady,
} from './service-process.js';

async function up(): Promise<void> {
  mkdirSync(paths.logs, { recursive: true });
  const postgres = await ensurePostgres(
    process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    !!process.env.DATABASE_URL,
  );
  const redis = await ensureRedis(process.env.REDIS_URL ?? DEFAULT_REDIS_URL, !!process.env.REDIS_URL);
  await migrate(postgres.url);

  const adminToken = readOrCreateAdminToken();
  const env = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    ADMIN_TOKEN: adminToken,
    // The demo endpoints are on this machine; production refuses private targets.
    ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
  };

  for (const service of devServices) {
    let pid = runningPid(service);
    if (pid === undefined) {
      await assertPortsFree(service);
      pid = await startService(service, env);
      console.log(`${service.name}: starting (pid ${pid}, log ${relative(repoRoot, logFile(service))})`);
    } else {
      console.log(`${service.name}: already running (pid ${pid})`);
    }
    await waitUntilServiceReady(service, pid);
    console.log(`${service.name}: ready`);
  }

  const key = await ensureDemoApiKey(INGEST_API_URL, adminToken);
  const sinkEndpoint = `${SINK_URL}/webhooks/demo`;
  await ensureDemoEndpoint(INGEST_API_URL, key, sinkEndpoint);
  console.log(`
Triggers is up: ${INGEST_API_URL} (admin token in .data/admin-token, demo key in .data/demo-key).
Every event goes to the demo endpoint ${sinkEndpoint}, a local sink that verifies each signature
and logs what it receives (.data/logs/webhook-sink.log).
Follow the logs with \`make logs\`; stop everything with \`make down\`.

Send an event:
  curl -sS -X POST ${INGEST_API_URL}/api/events \\
    -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\
    -d '{"type":"order.created","payload":{"order_id":"1001","amount":4200}}'
`);
}

try {
  await up();
} catch (err) {
  console.error(`\nmake up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
