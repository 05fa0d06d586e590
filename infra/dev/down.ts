// `make down`: stops what `make up` started, services first (they hold connections to the servers).
import { devServices } from './dev-services.js';
import { stopService } from './service-process.js';
import { stopOwnServers } from './stop-own-servers.js';

async function down(): Promise<void> {
  for (const service of [...devServices].reverse()) {
    const outcome = await stopService(service);
    if (outcome !== 'not running') console.log(`${service.name}: ${outcome}`);
  }
  await stopOwnServers({ postgres: true, redis: true });
}

try {
  await down();
} catch (err) {
  console.error(`make down failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
