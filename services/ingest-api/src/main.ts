import { closeDeliveryQueue } from '@triggers/delivery-queue';
import { closeServer, listen, runService } from '@triggers/runtime';
import { loadConfig } from './config.js';
import { createHttpServer } from './http-server.js';
import { buildIngestService } from './ingest-service.js';

await runService({
  name: 'ingest-api',
  loadConfig,
  build: (config, log) => {
    const service = buildIngestService(config, log);
    const server = createHttpServer(service.app, config.http.limits);
    return {
      ops: { registry: service.registry, readiness: service.readiness, ...config.metrics },
      // Stop accepting requests and wait for those in flight (they wait on their group commit);
      // flush anything left; then close the pools those requests needed.
      stop: [
        ['http server', () => closeServer(server)],
        [
          'group commit',
          async () => {
            await service.committer.drain();
            service.notifier.close();
          },
        ],
        ['postgres', () => service.database.close()],
        [
          'redis',
          async () => {
            // The queue's own connection may already be gone (Redis down): closing it must not keep
            // the shared client open.
            await Promise.allSettled([
              service.eventTypeChanges.close(),
              closeDeliveryQueue(service.deliveryQueue, service.deliveryQueueRedis),
            ]);
            await service.redis.quit();
          },
        ],
      ],
      start: async () => {
        service.eventTypeChanges.start();
        return { port: await listen(server, config.http.port, config.http.host) };
      },
    };
  },
});
