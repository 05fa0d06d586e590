import { runService } from '@triggers/runtime';
import { loadConfig } from './config.js';
import { buildDelivererService } from './deliverer-service.js';

await runService({
  name: 'deliverer',
  loadConfig,
  build: (config, log) => {
    const service = buildDelivererService(config, log);
    return {
      ops: { registry: service.registry, readiness: service.readiness, ...config.metrics },
      // The worker waits for in-flight deliveries and records them before its clients close.
      stop: [['deliverer', () => service.stop()]],
      start: () => {
        service.start();
        return {
          concurrency: config.worker.concurrency,
          sending: !config.http.disabled,
          privateTargets: config.http.allowPrivateTargets,
        };
      },
    };
  },
});
