import { runService } from '@triggers/runtime';
import { loadConfig } from './config.js';
import { buildProcessorService } from './processor-service.js';

await runService({
  name: 'processor',
  loadConfig,
  build: (config, log) => {
    const service = buildProcessorService(config, log);
    return {
      ops: { registry: service.registry, readiness: service.readiness, ...config.metrics },
      // Finishes the batch in flight (and its hand-off) before its clients close.
      stop: [['processor', () => service.stop()]],
      start: async () => {
        await service.start();
        return { batchSize: config.batch.batchSize };
      },
    };
  },
});
