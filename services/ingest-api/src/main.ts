import { closeDeliveryQueue } from '@triggers/delivery-queue';
import { ConfigError, Shutdown, closeServer, createLogger, createOpsServer, listen } from '@triggers/runtime';
import { loadConfig, type Config } from './config.js';
import { createHttpServer } from './http-server.js';
import { buildIngestService } from './ingest-service.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`ingest-api: ${err.message}`);
  process.exit(2);
}

const log = createLogger({ service: 'ingest-api', level: config.logLevel });
const shutdown = new Shutdown(log, config.shutdownTimeoutMs);
shutdown.installProcessHandlers();

const service = buildIngestService(config, log);
const server = createHttpServer(service.app);
const opsServer = createOpsServer({ registry: service.registry, readiness: service.readiness });

// Shutdown order: turn readiness off first so balancers stop routing here; stop accepting requests
// and wait for those in flight (they wait on their group commit); flush anything left; then close
// the pools those requests needed; the ops listener goes last so /metrics stays scrapeable.
shutdown
  .add('readiness off', () => service.readiness.startDraining())
  .add('http server', () => closeServer(server))
  .add('group commit', async () => {
    await service.committer.drain();
    service.notifier.close();
  })
  .add('postgres', () => service.database.close())
  .add('redis', async () => {
    // The queue's own connection may already be gone (Redis down): closing it must not keep the
    // shared client open.
    await Promise.allSettled([
      service.eventTypeChanges.close(),
      closeDeliveryQueue(service.deliveryQueue, service.deliveryQueueRedis),
    ]);
    await service.redis.quit();
  })
  .add('ops server', () => closeServer(opsServer));

service.eventTypeChanges.start();
const port = await listen(server, config.http.port, config.http.host);
const metricsPort = await listen(opsServer, config.metrics.port, config.http.host);
log.info({ port, metricsPort }, 'ingest-api listening');
